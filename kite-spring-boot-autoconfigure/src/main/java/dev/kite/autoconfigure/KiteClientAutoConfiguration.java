package dev.kite.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.client.KiteClientCustomizer;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteClients;
import dev.kite.client.KiteConnection;
import dev.kite.client.ReconnectPolicy;
import dev.kite.client.kontrol.KiteDiscovery;
import dev.kite.observation.KiteClientObservationConvention;
import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KontrolQuery;
import dev.kite.rpc.KiteDispatcher;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Clients of other kites: a {@link KiteClientFactory} with the application's kite
 * identity, mapper, executor and scheduler (and, when this app serves kite methods, its
 * dispatcher, so a kite it dials can call it back on the same connection); a
 * {@link KiteClients} registry of the clients named under {@code kite.clients.<name>};
 * and each named client as a lazily connected {@link KiteConnection} bean, qualified by
 * its name ({@code @Qualifier("math") KiteConnection math}). Creating, injecting or
 * closing any of them never waits for the network: a kite that is down delays neither
 * startup nor shutdown.
 *
 * <p>
 * Thread safety: the beans are created on the thread that refreshes the context; the
 * {@link KiteClients} registry and its connections may then be used from any thread.
 */
@AutoConfiguration(
		after = { KiteAutoConfiguration.class, KiteServerAutoConfiguration.class, SslAutoConfiguration.class })
@ConditionalOnClass(value = { KiteClientFactory.class, StandardWebSocketClient.class },
		name = "jakarta.websocket.ContainerProvider")
@ConditionalOnProperty(name = "kite.client.enabled", matchIfMissing = true)
public final class KiteClientAutoConfiguration {

	/** The bean name of the registrar of the {@code <name>KiteConnection} beans. */
	public static final String NAMED_CLIENTS_REGISTRAR_BEAN_NAME = "namedKiteClientsRegistrar";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	KiteClientFactory kiteClientFactory(@Qualifier(KiteAutoConfiguration.JSON_MAPPER_BEAN_NAME) JsonMapper mapper,
			@Qualifier(KiteAutoConfiguration.EXECUTOR_BEAN_NAME) Executor executor,
			@Qualifier(KiteAutoConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler,
			ObjectProvider<KiteDispatcher> dispatcher, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<KiteClientObservationConvention> observationConvention) {
		KiteClientFactory.Builder builder = KiteClientFactory.builder()
			.objectMapper(mapper)
			.executor(executor)
			.taskScheduler(scheduler);
		dispatcher.ifAvailable(builder::dispatcher);
		observationRegistry.ifAvailable(builder::observationRegistry);
		observationConvention.ifAvailable(builder::observationConvention);
		return builder.build();
	}

	/**
	 * The named clients. Each client's options are built at startup when its URL can be
	 * resolved then (so configuration errors fail the startup), and otherwise on first
	 * use: a URL such as {@code http://127.0.0.1:${local.server.port}/kite} names a port
	 * known only once the web server has started.
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	KiteClients kiteClients(KiteProperties properties, KiteClientFactory factory,
			@Qualifier(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME) Kite localKite, LocalKiteKey kiteKey,
			ObjectProvider<SslBundles> sslBundles, ObjectProvider<KiteClientCustomizer> customizers,
			ObjectProvider<KiteDiscovery> discovery, Environment environment) {
		Map<String, Supplier<KiteClientOptions>> options = new LinkedHashMap<>();
		Map<String, KontrolQuery> queries = new LinkedHashMap<>();
		properties.getClients().forEach((name, client) -> {
			KontrolQuery query = query(name, client, discovery);
			if (query != null) {
				queries.put(name, query);
			}
			Supplier<KiteClientOptions> resolver = () -> {
				String url = (query != null) ? KiteDiscovery.label(query).toString() : resolvedUrl(environment, client);
				KiteClientOptions.Builder builder = options(name, client, url, properties.getClient(), localKite,
						kiteKey, sslBundles);
				if (query != null) {
					builder.auth(null); // Kontrol's tokens
					builder.endpointResolver((previous, reason) -> CompletableFuture
						.failedFuture(new IllegalStateException("resolved by discovery")));
				}
				for (KiteClientCustomizer customizer : customizers.orderedStream().toList()) {
					builder = customizer.customize(name, builder);
				}
				return builder.build();
			};
			String url = resolvedUrl(environment, client);
			if (query != null || url == null || !url.contains("${")) {
				KiteClientOptions resolved = resolver.get(); // fails the startup on a bad
																// setting
				options.put(name, () -> resolved);
			}
			else {
				options.put(name, resolver); // KiteClients asks once, at the client's
												// first use
			}
		});
		if (queries.isEmpty()) {
			return KiteClients.resolvedOnFirstUse(factory, options);
		}
		KiteDiscovery kontrol = discovery.getObject();
		return KiteClients.resolvedOnFirstUse(factory, options, (name, value) -> {
			KontrolQuery query = queries.get(name);
			return (query != null) ? kontrol.connect(query, value) : factory.create(value);
		});
	}

	/**
	 * The Kontrol query of a client named by query rather than URL, or {@code null}.
	 */
	private static @Nullable KontrolQuery query(String name, KiteProperties.NamedClient client,
			ObjectProvider<KiteDiscovery> discovery) {
		String prefix = "kite.clients." + name;
		String text = client.getQuery();
		if (text == null || text.isBlank()) {
			if (client.getVersion() != null && !client.getVersion().isBlank()) {
				throw new InvalidConfigurationPropertyValueException(prefix + ".version", client.getVersion(),
						"A version constraint needs a query (" + prefix + ".query)");
			}
			return null;
		}
		if (client.getUrl() != null && !client.getUrl().isBlank()) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".query", text,
					"Set either a URL or a query, not both (" + prefix + ".url is set)");
		}
		if (!text.trim().startsWith("/")) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".query", text,
					"A query is a kite path: /username/environment/name[/version/region/hostname/id]");
		}
		KontrolQuery query = KontrolQuery.parse(text.trim(),
				(client.getVersion() != null) ? client.getVersion().trim() : "");
		if (query.username().isEmpty()) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".query", text,
					"A query names at least the username: /username/environment/name");
		}
		if (discovery.getIfAvailable() == null) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".query", text,
					"Finding kites needs Kontrol: set kite.kontrol.url and a kite key it issued "
							+ "(kite.key or kite.key-file), or enable the embedded Kontrol");
		}
		return query;
	}

	/**
	 * The URL with the placeholders the environment can resolve now resolved; others
	 * stay.
	 */
	private static @Nullable String resolvedUrl(Environment environment, KiteProperties.NamedClient client) {
		String url = client.getUrl();
		return (url != null) ? environment.resolvePlaceholders(url) : null;
	}

	private static KiteClientOptions.Builder options(String name, KiteProperties.NamedClient client,
			@Nullable String url, KiteProperties.Client defaults, Kite localKite, LocalKiteKey kiteKey,
			ObjectProvider<SslBundles> sslBundles) {
		String prefix = "kite.clients." + name;
		if (url == null || url.isBlank()) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".url", url,
					"A kite client needs the kite's URL, e.g. http://host:port/kite");
		}
		KiteClientOptions.Builder builder;
		try {
			builder = KiteClientOptions.builder(url);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".url", url, ex.getMessage());
		}
		builder.kite(localKite)
			.transport((client.getTransport() != null) ? client.getTransport() : defaults.getTransport())
			.timeout((client.getTimeout() != null) ? client.getTimeout() : defaults.getTimeout())
			.connectTimeout(defaults.getConnectTimeout())
			.reconnect(client.isReconnect() ? ReconnectPolicy.goDefaults() : ReconnectPolicy.disabled())
			.authenticateIncoming(client.isAuthenticateIncoming())
			.auth(auth(prefix, client, kiteKey));
		String bundle = client.getSsl().getBundle();
		if (bundle != null) {
			SslBundles bundles = sslBundles.getIfAvailable();
			try {
				if (bundles == null) {
					throw new NoSuchSslBundleException(bundle, "no SSL bundles are configured");
				}
				builder.sslContext(bundles.getBundle(bundle).createSslContext());
			}
			catch (NoSuchSslBundleException ex) {
				throw new InvalidConfigurationPropertyValueException(prefix + ".ssl.bundle", bundle, ex.getMessage());
			}
		}
		return builder;
	}

	private static @Nullable Auth auth(String prefix, KiteProperties.NamedClient client, LocalKiteKey kiteKey) {
		KiteKey key = kiteKey.get().orElse(null);
		return switch (client.getAuthentication()) {
			case NONE -> null;
			case AUTO -> (key != null) ? new Auth(Auth.KITE_KEY, key.raw()) : null;
			case KITE_KEY -> {
				if (key == null) {
					throw new InvalidConfigurationPropertyValueException(prefix + ".authentication", "kite-key",
							"This kite has no kite key (set kite.key or kite.key-file)");
				}
				yield new Auth(Auth.KITE_KEY, key.raw());
			}
			case TOKEN -> {
				if (client.getToken() == null || client.getToken().isBlank()) {
					throw new InvalidConfigurationPropertyValueException(prefix + ".token", null,
							"Token authentication needs the token");
				}
				yield new Auth(Auth.TOKEN, client.getToken().trim());
			}
		};
	}

	/**
	 * Registers each name under {@code kite.clients} as a lazy {@link KiteConnection}
	 * bean named {@code <name>KiteConnection} and qualified {@code <name>}: the client
	 * starts dialing when first injected into something that is created, or first used;
	 * injecting it never waits. A bean of the name
	 * {@value #NAMED_CLIENTS_REGISTRAR_BEAN_NAME} replaces this registrar (e.g. one that
	 * registers nothing); a bean named {@code <name>KiteConnection} replaces that one
	 * client bean.
	 */
	@Bean(name = NAMED_CLIENTS_REGISTRAR_BEAN_NAME)
	@ConditionalOnMissingBean(name = NAMED_CLIENTS_REGISTRAR_BEAN_NAME)
	static BeanDefinitionRegistryPostProcessor namedKiteClientsRegistrar(Environment environment) {
		return new NamedKiteClients(environment);
	}

	static final class NamedKiteClients implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

		private Environment environment;

		NamedKiteClients(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void setEnvironment(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
			Map<String, Object> clients = Binder.get(this.environment)
				.bind("kite.clients", Bindable.mapOf(String.class, Object.class))
				.orElse(Map.of());
			for (String name : clients.keySet()) {
				String beanName = name + "KiteConnection";
				if (registry.containsBeanDefinition(beanName)) {
					continue;
				}
				RootBeanDefinition definition = new RootBeanDefinition(KiteConnection.class);
				definition.setLazyInit(true);
				definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
				definition.setInstanceSupplier(
						() -> ((ConfigurableListableBeanFactory) registry).getBean(KiteClients.class).client(name));
				definition.setDestroyMethodName(""); // KiteClients closes it
				registry.registerBeanDefinition(beanName, definition);
			}
		}

		@Override
		public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		}

	}

}
