package dev.kite.autoconfigure.kontrol;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.auth.trust.KontrolTrustSource;
import dev.kite.autoconfigure.KiteAutoConfiguration;
import dev.kite.autoconfigure.KiteProperties;
import dev.kite.autoconfigure.KiteServerAutoConfiguration;
import dev.kite.kontrol.Kontrol;
import dev.kite.kontrol.KontrolSettings;
import dev.kite.kontrol.MachineAuthenticator;
import dev.kite.kontrol.store.KeyPairStore;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.kontrol.store.KontrolKeyPair;
import dev.kite.kontrol.store.jdbc.KontrolSchema;
import dev.kite.kontrol.store.jdbc.PostgresKeyPairStore;
import dev.kite.kontrol.store.jdbc.PostgresKiteStore;
import dev.kite.kontrol.store.memory.InMemoryKeyPairStore;
import dev.kite.kontrol.store.memory.InMemoryKiteStore;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.server.websocket.KiteEndpointRegistrar;
import dev.kite.server.websocket.KiteServerCustomizer;
import dev.kite.server.websocket.KiteWebSocketHandler;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves a Kontrol (from {@code kite-kontrol}) on the application's web server when
 * {@code kite.kontrol.server.enabled=true}: its kite endpoint at
 * {@code kite.kontrol.server.path} (default {@code /kontrol}) with the kite endpoint's
 * limits, origins and SockJS settings, and the HTTP endpoints {@code POST register} and
 * {@code GET heartbeat} beside it.
 *
 * <p>
 * Kontrol's endpoint has its own method registry (Kontrol's methods and the built-ins),
 * dispatcher (verifying callers against Kontrol's own key pairs, current and deleted) and
 * WebSocket handler. They are declared with {@code defaultCandidate = false}, so the
 * application's kite endpoint at {@code kite.server.path}, which keeps serving the
 * application's methods, never sees them. A standalone Kontrol turns that endpoint off
 * ({@code kite.server.enabled=false}) and serves Kontrol at {@code /kite}.
 *
 * <p>
 * Unless {@code kite.kontrol.key}/{@code kite.kontrol.user} or the kite key name another
 * Kontrol's key, the application trusts the embedded Kontrol's key, so the tokens it
 * issues for the application's kite are accepted.
 *
 * <p>
 * Every bean backs off when the application defines one of the same type (Kontrol, its
 * key pair, stores, trust source) or name (registry, dispatcher, handler, mappings,
 * lifecycle). A {@link MachineAuthenticator} bean lets {@code registerMachine} issue kite
 * keys.
 */
@AutoConfiguration(before = { KiteAutoConfiguration.class, KiteServerAutoConfiguration.class },
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ Kontrol.class, WebSocketConfigurer.class })
@ConditionalOnBooleanProperty(name = "kite.kontrol.server.enabled")
@EnableConfigurationProperties({ KiteProperties.class, KontrolServerProperties.class })
public final class KontrolServerAutoConfiguration {

	/** The bean name of Kontrol's method registry. */
	public static final String METHOD_REGISTRY_BEAN_NAME = "kontrolMethodRegistry";

	/** The bean name of Kontrol's dispatcher. */
	public static final String DISPATCHER_BEAN_NAME = "kontrolDispatcher";

	/** The bean name of Kontrol's WebSocket handler. */
	public static final String WEB_SOCKET_HANDLER_BEAN_NAME = "kontrolWebSocketHandler";

	/** The bean name of Kontrol's endpoint handler mapping. */
	public static final String ENDPOINT_HANDLER_MAPPING_BEAN_NAME = "kontrolEndpointHandlerMapping";

	/** The bean name of the handler mapping of Kontrol's HTTP endpoints. */
	public static final String HTTP_HANDLER_MAPPING_BEAN_NAME = "kontrolHttpHandlerMapping";

	/** The bean name of the lifecycle that starts and stops Kontrol. */
	public static final String LIFECYCLE_BEAN_NAME = "kontrolLifecycle";

	private static final String PATH_PROPERTY = KontrolServerProperties.PREFIX + ".path";

	private static final String STORAGE_PROPERTY = KontrolServerProperties.PREFIX + ".storage";

	/**
	 * Kontrol's key pair: {@code public-key-file}/{@code private-key-file}, or the pair
	 * in {@code key-dir}, generated on first start.
	 */
	@Bean
	@ConditionalOnMissingBean
	KontrolKeyPair kontrolKeyPair(KontrolServerProperties properties) {
		return KontrolKeyFiles.keyPair(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = STORAGE_PROPERTY, havingValue = "memory", matchIfMissing = true)
	KiteStore kontrolKiteStore() {
		return new InMemoryKiteStore();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = STORAGE_PROPERTY, havingValue = "memory", matchIfMissing = true)
	KeyPairStore kontrolKeyPairStore() {
		return new InMemoryKeyPairStore();
	}

	/**
	 * {@code storage=postgres}: the Go Kontrol's schema in the application's
	 * {@link DataSource} ({@code spring.datasource.*}), created when missing and never
	 * rewritten, so Go and Java Kontrols can share the database; registrations made
	 * through any Kontrol reach every instance's watchers through {@code LISTEN/NOTIFY}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = STORAGE_PROPERTY, havingValue = "postgres")
	static class PostgresStorageConfiguration {

		@Bean
		@ConditionalOnMissingBean
		KiteStore kontrolKiteStore(ObjectProvider<DataSource> dataSource) {
			DataSource source = schemaIn(dataSource);
			return new PostgresKiteStore(source);
		}

		@Bean
		@ConditionalOnMissingBean
		KeyPairStore kontrolKeyPairStore(ObjectProvider<DataSource> dataSource) {
			return new PostgresKeyPairStore(schemaIn(dataSource));
		}

		private static DataSource schemaIn(ObjectProvider<DataSource> dataSource) {
			if (!ClassUtils.isPresent("org.springframework.jdbc.core.JdbcTemplate",
					PostgresStorageConfiguration.class.getClassLoader())) {
				throw new InvalidConfigurationPropertyValueException(STORAGE_PROPERTY, "postgres",
						"PostgreSQL storage needs spring-jdbc and the PostgreSQL driver: add "
								+ "spring-boot-starter-jdbc and org.postgresql:postgresql");
			}
			DataSource source = dataSource.getIfAvailable();
			if (source == null) {
				throw new InvalidConfigurationPropertyValueException(STORAGE_PROPERTY, "postgres",
						"PostgreSQL storage needs a DataSource: set spring.datasource.url (and username, password)");
			}
			KontrolSchema.createIfMissing(source);
			return source;
		}

	}

	/**
	 * The Kontrol, its username {@code kite.username} (default
	 * {@value KontrolServerProperties#DEFAULT_USERNAME}); writes {@code key-dir/kite.key}
	 * on first start.
	 */
	@Bean
	@ConditionalOnMissingBean
	Kontrol kontrol(KontrolServerProperties properties, KiteProperties kiteProperties, Environment environment,
			KiteStore store, KeyPairStore keyPairStore, KontrolKeyPair keyPair,
			@Qualifier(KiteAutoConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler,
			ObjectProvider<MachineAuthenticator> machineAuthenticator) {
		String username = username(kiteProperties);
		KontrolSettings.Builder settings = KontrolSettings.builder(username, scheduler)
			.kontrolUrl(publicUrl(properties, environment))
			.environment(kiteProperties.getEnvironment())
			.region(kiteProperties.getRegion());
		if (kiteProperties.getHostname() != null) {
			settings.hostname(kiteProperties.getHostname());
		}
		Kontrol kontrol;
		try {
			kontrol = new Kontrol(settings.build(), store, keyPairStore, keyPair,
					machineAuthenticator.getIfAvailable());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("kite.username", username, ex.getMessage());
		}
		KontrolKeyFiles.writeKiteKey(properties, kontrol);
		return kontrol;
	}

	/**
	 * The application's own kite key when it names none ({@code kite.key} and
	 * {@code kite.key-file} unset): issued by the embedded Kontrol at each start for
	 * {@code kite.username} (default: Kontrol's username), so the application registers
	 * with its own Kontrol and calls kites it finds there without any set-up. The default
	 * key file ({@code ~/.kite/kite.key}) is not read then: it would name another
	 * Kontrol.
	 */
	@Bean
	@ConditionalOnMissingBean
	@Conditional(NoConfiguredKiteKeyCondition.class)
	LocalKiteKey localKiteKey(Kontrol kontrol, KiteProperties kiteProperties) {
		try {
			return new LocalKiteKey(KiteKey.parse(kontrol.issueKiteKey(username(kiteProperties))));
		}
		catch (ParseException ex) {
			throw new IllegalStateException("Kontrol issued a malformed kite key", ex);
		}
	}

	/** Neither {@code kite.key} nor {@code kite.key-file} is set. */
	static final class NoConfiguredKiteKeyCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Binder binder = Binder.get(context.getEnvironment());
			boolean inline = binder.bind("kite.key", String.class).map((key) -> !key.isBlank()).orElse(false);
			boolean file = binder.bind("kite.key-file", String.class).map((key) -> !key.isBlank()).orElse(false);
			return (inline || file) ? ConditionOutcome.noMatch("kite.key or kite.key-file is set")
					: ConditionOutcome.match("neither kite.key nor kite.key-file is set");
		}

	}

	private static String username(KiteProperties kiteProperties) {
		String username = kiteProperties.getUsername();
		return (username != null && !username.isBlank()) ? username : KontrolServerProperties.DEFAULT_USERNAME;
	}

	/**
	 * {@code public-url}, validated, or {@code http://localhost:<server.port><path>};
	 * empty (no {@code kontrolURL} in the kite keys) when the port is chosen at startup.
	 * @param properties the Kontrol server properties
	 * @param environment the environment ({@code server.port})
	 * @return the URL kite keys name as {@code kontrolURL}
	 */
	public static String publicUrl(KontrolServerProperties properties, Environment environment) {
		String configured = properties.getPublicUrl();
		if (configured != null && !configured.isBlank()) {
			try {
				URI uri = new URI(configured);
				if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
					throw new URISyntaxException(configured, "Must be an absolute http or https URL with a host");
				}
			}
			catch (URISyntaxException ex) {
				throw new InvalidConfigurationPropertyValueException(KontrolServerProperties.PREFIX + ".public-url",
						configured, ex.getReason());
			}
			return configured;
		}
		int port = environment.getProperty("server.port", Integer.class, 8080);
		return (port > 0) ? "http://localhost:" + port + properties.getPath() : "";
	}

	/**
	 * Kontrol's methods and the built-ins ({@code kite.ping}, {@code kite.heartbeat}, …),
	 * so a kite can keep its Kontrol connection alive.
	 */
	@Bean(name = METHOD_REGISTRY_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = METHOD_REGISTRY_BEAN_NAME)
	KiteMethodRegistry kontrolMethodRegistry(Kontrol kontrol) {
		return kontrol.newMethodRegistry();
	}

	/**
	 * Kontrol's dispatcher: authentication always on, callers verified by
	 * {@link Kontrol#authenticationProviders()} (kite keys signed by any of Kontrol's key
	 * pairs, and tokens Kontrol issued for itself). Application exception resolvers and
	 * interceptors are not applied: Kontrol's errors are Go's.
	 */
	@Bean(name = DISPATCHER_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = DISPATCHER_BEAN_NAME)
	KiteDispatcher kontrolDispatcher(Kontrol kontrol, @Qualifier(METHOD_REGISTRY_BEAN_NAME) KiteMethodRegistry registry,
			@Qualifier(KiteAutoConfiguration.EXECUTOR_BEAN_NAME) Executor executor, KiteProperties kiteProperties) {
		return kontrol.newDispatcher(registry, executor,
				KiteServerAutoConfiguration.serverLimits(kiteProperties.getServer()));
	}

	@Bean(name = WEB_SOCKET_HANDLER_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = WEB_SOCKET_HANDLER_BEAN_NAME)
	KiteWebSocketHandler kontrolWebSocketHandler(KiteProperties kiteProperties,
			@Qualifier(DISPATCHER_BEAN_NAME) KiteDispatcher dispatcher,
			@Qualifier(KiteAutoConfiguration.JSON_MAPPER_BEAN_NAME) JsonMapper mapper,
			@Qualifier(KiteAutoConfiguration.EXECUTOR_BEAN_NAME) Executor executor) {
		return new KiteWebSocketHandler(dispatcher, mapper, executor,
				KiteServerAutoConfiguration.webSocketLimits(kiteProperties.getServer()));
	}

	/**
	 * Kontrol's kite endpoint (SockJS and raw WebSocket) at
	 * {@code kite.kontrol.server.path}, with the settings and customizers of the kite
	 * endpoint.
	 */
	@Bean(name = ENDPOINT_HANDLER_MAPPING_BEAN_NAME)
	@ConditionalOnMissingBean(name = ENDPOINT_HANDLER_MAPPING_BEAN_NAME)
	WebSocketHandlerMapping kontrolEndpointHandlerMapping(KontrolServerProperties properties,
			KiteProperties kiteProperties, Environment environment,
			@Qualifier(WEB_SOCKET_HANDLER_BEAN_NAME) KiteWebSocketHandler handler,
			@Qualifier(KiteAutoConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler,
			ObjectProvider<KiteServerCustomizer> customizers) {
		String path = properties.getPath();
		KiteProperties.Server server = kiteProperties.getServer();
		boolean kiteServerEnabled = environment.getProperty("kite.server.enabled", Boolean.class, true);
		if (kiteServerEnabled && path.equals(server.getPath())) {
			throw new InvalidConfigurationPropertyValueException(PATH_PROPERTY, path,
					"Is the kite endpoint's path (kite.server.path): choose another, or set "
							+ "kite.server.enabled=false to serve only Kontrol there");
		}
		return new KiteEndpointRegistrar(handler,
				KiteServerAutoConfiguration.endpointSettings(server, path, PATH_PROPERTY), scheduler,
				customizers.orderedStream().toList())
			.handlerMapping();
	}

	/**
	 * {@code POST {base}/register} and {@code GET {base}/heartbeat}, where the base is
	 * Kontrol's path without a trailing {@code /kite} (where Go kites look for them).
	 * Ordered before the endpoint mappings, which claim everything under their paths.
	 */
	@Bean(name = HTTP_HANDLER_MAPPING_BEAN_NAME)
	@ConditionalOnMissingBean(name = HTTP_HANDLER_MAPPING_BEAN_NAME)
	SimpleUrlHandlerMapping kontrolHttpHandlerMapping(KontrolServerProperties properties, Kontrol kontrol) {
		long maxSize = properties.getMaxRegisterSize().toBytes();
		if (maxSize < 1 || maxSize > Integer.MAX_VALUE - 1) {
			throw new InvalidConfigurationPropertyValueException(KontrolServerProperties.PREFIX + ".max-register-size",
					properties.getMaxRegisterSize(), "Must be between 1 byte and 2GB");
		}
		String base = httpBase(properties.getPath());
		Map<String, Object> handlers = new LinkedHashMap<>();
		handlers.put(base + "/register",
				new KontrolHttpHandler(kontrol.httpEndpoints(), KontrolHttpHandler.Endpoint.REGISTER, (int) maxSize));
		handlers.put(base + "/heartbeat",
				new KontrolHttpHandler(kontrol.httpEndpoints(), KontrolHttpHandler.Endpoint.HEARTBEAT, (int) maxSize));
		SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(handlers);
		mapping.setOrder(0);
		return mapping;
	}

	/**
	 * Where the HTTP endpoints live: Go kites strip a trailing {@code /kite} from the
	 * Kontrol URL and append {@code /register} or {@code /heartbeat} (PROTOCOL §6.9).
	 */
	static String httpBase(String path) {
		return path.endsWith("/kite") ? path.substring(0, path.length() - "/kite".length()) : path;
	}

	/**
	 * Starts Kontrol's expiry cleaner with the application; on stop, before the web
	 * server's graceful shutdown, refuses new calls, lets the calls in flight finish
	 * (within {@code spring.lifecycle.timeout-per-shutdown-phase}), closes Kontrol's
	 * sessions with 1001 (going away) and stops its timers and watchers.
	 */
	@Bean(name = LIFECYCLE_BEAN_NAME)
	@ConditionalOnMissingBean(name = LIFECYCLE_BEAN_NAME)
	SmartLifecycle kontrolLifecycle(Kontrol kontrol, @Qualifier(DISPATCHER_BEAN_NAME) KiteDispatcher dispatcher,
			@Qualifier(WEB_SOCKET_HANDLER_BEAN_NAME) KiteWebSocketHandler handler,
			@Qualifier(KiteAutoConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler, Environment environment) {
		return new KontrolLifecycle(kontrol, KiteServerAutoConfiguration.drainingLifecycle(dispatcher.drain(),
				handler::closeSessions, scheduler, environment));
	}

	/**
	 * The Kontrol the application's kite trusts: {@code kite.kontrol.user}/{@code key},
	 * else the kite key's issuer and {@code kontrolKey} (as without a Kontrol), and the
	 * embedded Kontrol's key when its username is the trusted user (by default it is).
	 */
	@Bean
	@ConditionalOnMissingBean
	KontrolTrustSource kontrolTrustSource(KiteProperties properties, LocalKiteKey kiteKey, Kontrol kontrol) {
		KiteKey key = kiteKey.get().orElse(null);
		String user = firstNonEmpty(properties.getKontrol().getUser(), (key != null) ? key.kontrolUser() : null,
				kontrol.kite().username());
		String pem = firstNonEmpty(properties.getKontrol().getKey(), (key != null) ? key.kontrolKey() : null, "");
		List<String> pems = new ArrayList<>();
		if (!pem.isEmpty()) {
			pems.add(pem);
		}
		String self = kontrol.selfKeyPair().publicKey();
		if (user.equals(kontrol.kite().username()) && !self.strip().equals(pem.strip())) {
			pems.add(self);
		}
		try {
			return new KontrolTrustSource(user, pems);
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

}
