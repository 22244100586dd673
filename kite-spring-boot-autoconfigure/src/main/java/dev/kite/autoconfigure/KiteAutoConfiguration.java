package dev.kite.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import java.util.List;
import java.util.concurrent.Executor;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.KiteKeys;
import dev.kite.auth.trust.KontrolTrustSource;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.dnode.DnodeModule;
import dev.kite.protocol.Kite;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The kite's identity, kite key, trusted Kontrol, JSON mapper, executor and scheduler,
 * shared by the server and clients.
 *
 * <p>
 * The identity, mapper, executor and scheduler are declared with
 * {@code defaultCandidate = false}: they are injected by name where the kite needs them
 * and never compete with the application's own {@code JsonMapper} or {@code Kite}
 * injection points.
 */
@AutoConfiguration(after = JacksonAutoConfiguration.class)
@EnableConfigurationProperties(KiteProperties.class)
public final class KiteAutoConfiguration {

	/** The bean name of the local kite identity. */
	public static final String LOCAL_KITE_BEAN_NAME = "localKite";

	/** The bean name of the kite JSON mapper. */
	public static final String JSON_MAPPER_BEAN_NAME = "kiteJsonMapper";

	/**
	 * The bean name of the executor that runs kite handlers, callbacks and client
	 * completions.
	 */
	public static final String EXECUTOR_BEAN_NAME = "kiteTaskExecutor";

	/** The bean name of the scheduler for heartbeats, call timeouts and reconnects. */
	public static final String SCHEDULER_BEAN_NAME = "kiteTaskScheduler";

	private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");

	/**
	 * This kite's identity, with a fresh random id per start.
	 */
	@Bean(name = LOCAL_KITE_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = LOCAL_KITE_BEAN_NAME)
	Kite localKite(KiteProperties properties, LocalKiteKey kiteKey,
			@Value("${spring.application.name:}") String applicationName) {
		String name = (properties.getName() != null) ? properties.getName()
				: (applicationName.isBlank() ? "kite" : applicationName);
		requireField("kite.name", name);
		String username = firstNonEmpty(properties.getUsername(), kiteKey.get().map(KiteKey::username).orElse(null),
				"unknown");
		requireField("kite.username", username);
		requireField("kite.environment", properties.getEnvironment());
		requireField("kite.region", properties.getRegion());
		if (!VERSION.matcher(properties.getVersion()).matches()) {
			throw new InvalidConfigurationPropertyValueException("kite.version", properties.getVersion(),
					"A kite version must be three dot-separated numbers, e.g. 1.0.0");
		}
		String hostname = (properties.getHostname() != null) ? properties.getHostname() : localHostName();
		requireField("kite.hostname", hostname);
		return new Kite(name, username, Kite.newId(), properties.getEnvironment(), properties.getRegion(),
				properties.getVersion(), hostname);
	}

	@Bean(name = EXECUTOR_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = EXECUTOR_BEAN_NAME)
	Executor kiteTaskExecutor(KiteProperties properties) {
		KiteProperties.Executor settings = properties.getServer().getExecutor();
		if (settings.isVirtualThreads() && Runtime.version().feature() >= 21) {
			return new VirtualThreadTaskExecutor("kite-");
		}
		if (settings.getMaxThreads() < 1) {
			throw new InvalidConfigurationPropertyValueException("kite.server.executor.max-threads",
					settings.getMaxThreads(), "Must be at least 1");
		}
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix("kite-");
		executor.setCorePoolSize(settings.getMaxThreads());
		executor.setMaxPoolSize(settings.getMaxThreads());
		executor.setAllowCoreThreadTimeOut(true);
		executor.setQueueCapacity(Math.max(0, settings.getQueueCapacity()));
		executor.setWaitForTasksToCompleteOnShutdown(false);
		// Kept running until the context destroys it, after the web server has stopped:
		// by default it would refuse tasks from the moment the context starts closing,
		// failing the kite calls that a graceful shutdown lets finish (and the HTTP
		// requests in flight that wait for a kite client's reply).
		executor.setAcceptTasksAfterContextClose(true);
		return executor;
	}

	/**
	 * The scheduler for heartbeats, call timeouts, reconnects and XHR handovers, with
	 * {@code kite.scheduler.pool-size} threads (default
	 * {@value KiteProperties.Scheduler#DEFAULT_POOL_SIZE}).
	 */
	@Bean(name = SCHEDULER_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = SCHEDULER_BEAN_NAME)
	ThreadPoolTaskScheduler kiteTaskScheduler(KiteProperties properties) {
		int poolSize = properties.getScheduler().getPoolSize();
		if (poolSize < 1) {
			throw new InvalidConfigurationPropertyValueException("kite.scheduler.pool-size", poolSize,
					"Must be at least 1");
		}
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("kite-scheduler-");
		scheduler.setPoolSize(poolSize);
		scheduler.setRemoveOnCancelPolicy(true);
		// As the executor: call timeouts, heartbeats and the drain's bound keep running
		// until the context destroys it.
		scheduler.setAcceptTasksAfterContextClose(true);
		return scheduler;
	}

	/**
	 * The mapper for kite arguments and results, built the way Boot builds its own
	 * {@link JsonMapper.Builder} (Boot's {@link JsonFactory} and every
	 * {@link JsonMapperBuilderCustomizer}, so the application's modules,
	 * {@code spring.jackson.*} settings and customizers apply to user types), with the
	 * dnode module added and property-name canonicalisation off: every dnode
	 * {@code callbacks} map has fresh numeric keys, which canonicalisation would copy
	 * into its symbol table on every frame. The parser's nesting depth and string length
	 * are capped ({@link DnodeModule#readConstraints()}), whatever the application's
	 * factory allows, since every frame a peer sends goes through it. Wire types pin
	 * their own names and inclusion, so no setting of the application's can change the
	 * protocol.
	 */
	@Bean(name = JSON_MAPPER_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = JSON_MAPPER_BEAN_NAME)
	JsonMapper kiteJsonMapper(ObjectProvider<JsonFactory> applicationFactory,
			ObjectProvider<JsonMapperBuilderCustomizer> customizers) {
		JsonFactory factory = applicationFactory.getIfAvailable(JsonFactory::new)
			.rebuild()
			.disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES)
			.streamReadConstraints(DnodeModule.readConstraints())
			.build();
		JsonMapper.Builder builder = JsonMapper.builder(factory);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.addModule(new DnodeModule()).build();
	}

	/**
	 * The kite key, from {@code kite.key}, {@code kite.key-file},
	 * {@code $KITE_HOME/kite.key} or {@code ~/.kite/kite.key}. Absent is fine; a
	 * malformed key, or a configured file that does not exist, fails the startup naming
	 * where it came from.
	 */
	@Bean
	@ConditionalOnMissingBean
	LocalKiteKey localKiteKey(KiteProperties properties) {
		try {
			return new LocalKiteKey(KiteKeys.load(properties.getKey(), properties.getKeyFile()).orElse(null));
		}
		catch (IllegalStateException ex) {
			boolean inline = properties.getKey() != null && !properties.getKey().isBlank();
			throw new InvalidConfigurationPropertyValueException(inline ? "kite.key" : "kite.key-file",
					inline ? "(hidden)" : String.valueOf(properties.getKeyFile()), ex.getMessage());
		}
	}

	/**
	 * The Kontrol this kite trusts: {@code kite.kontrol.user}/{@code kite.kontrol.key},
	 * defaulting to the kite key's issuer and {@code kontrolKey} claim, as the Go kite
	 * does.
	 */
	@Bean
	@ConditionalOnMissingBean
	KontrolTrustSource kontrolTrustSource(KiteProperties properties, LocalKiteKey kiteKey) {
		KiteKey key = kiteKey.get().orElse(null);
		String user = firstNonEmpty(properties.getKontrol().getUser(), (key != null) ? key.kontrolUser() : null, "");
		String pem = firstNonEmpty(properties.getKontrol().getKey(), (key != null) ? key.kontrolKey() : null, "");
		try {
			return new KontrolTrustSource(user, pem.isEmpty() ? List.of() : List.of(pem));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("kite.kontrol.key",
					(properties.getKontrol().getKey() != null) ? "(PEM)" : "(kontrolKey claim of the kite key)",
					"Not an RSA public key in PEM form");
		}
	}

	private static String firstNonEmpty(@Nullable String first, @Nullable String second, String fallback) {
		if (first != null && !first.isEmpty()) {
			return first;
		}
		return (second != null && !second.isEmpty()) ? second : fallback;
	}

	private static void requireField(String property, String value) {
		if (value.isBlank()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "A kite field must not be empty");
		}
		if (value.contains("/")) {
			throw new InvalidConfigurationPropertyValueException(property, value,
					"A kite field must not contain '/' (it separates the fields of a kite path)");
		}
	}

	private static String localHostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
