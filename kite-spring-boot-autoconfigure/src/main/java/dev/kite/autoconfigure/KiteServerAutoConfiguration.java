package dev.kite.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.auth.KiteAuthenticator;
import dev.kite.auth.KiteAuthoritiesConverter;
import dev.kite.auth.provider.KiteAuthenticatorProvider;
import dev.kite.auth.provider.KiteKeyAuthenticationProvider;
import dev.kite.auth.provider.TokenAuthenticationProvider;
import dev.kite.auth.trust.CachingKontrolKeyTrust;
import dev.kite.auth.trust.ConfiguredKontrolKeyTrust;
import dev.kite.auth.trust.KontrolKeyTrust;
import dev.kite.auth.trust.KontrolTrustSource;
import dev.kite.observation.KiteServerObservationConvention;
import dev.kite.protocol.Kite;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteDrain;
import dev.kite.rpc.KiteExceptionResolver;
import dev.kite.rpc.KiteMethodInterceptor;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KitePeer;
import dev.kite.rpc.KitePeers;
import dev.kite.rpc.KiteServerLimits;
import dev.kite.rpc.KiteThrottle;
import dev.kite.rpc.KiteWebSocketLimits;
import dev.kite.server.method.AnnotatedKiteMethodDetector;
import dev.kite.server.method.KiteAdviceExceptionResolver;
import dev.kite.server.method.KiteArgumentResolver;
import dev.kite.server.method.KitePeerArgumentResolver;
import dev.kite.server.websocket.KiteEndpointRegistrar;
import dev.kite.server.websocket.KiteEndpointSettings;
import dev.kite.server.websocket.KiteServerCustomizer;
import dev.kite.server.websocket.KiteWebSocketHandler;
import dev.kite.server.websocket.WebSocketContainerBuffers;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.ServletContext;
import org.apache.coyote.AbstractProtocol;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.util.unit.DataSize;
import org.springframework.web.context.ServletContextAware;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves the kite's methods on the application's own web server, at
 * {@code kite.server.path} (default {@code /kite}), through Spring's SockJS service:
 * {@code /kite/info}, the SockJS WebSocket and XHR transports, and the raw
 * {@code /kite/websocket}.
 *
 * <p>
 * Every bean backs off when the application defines one of the same name or type. The
 * executor and scheduler are declared with {@code defaultCandidate = false}, so they
 * never replace Boot's {@code applicationTaskExecutor} or a scheduler the application
 * relies on.
 */
@AutoConfiguration(after = KiteAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(WebSocketConfigurer.class)
@ConditionalOnBooleanProperty(name = "kite.server.enabled", matchIfMissing = true)
public final class KiteServerAutoConfiguration {

	/** The bean name of the executor that runs kite handlers. */
	public static final String EXECUTOR_BEAN_NAME = KiteAutoConfiguration.EXECUTOR_BEAN_NAME;

	/** The bean name of the authentication manager for kite calls. */
	public static final String AUTHENTICATION_MANAGER_BEAN_NAME = "kiteAuthenticationManager";

	/** The bean name of the scheduler for heartbeats. */
	public static final String SCHEDULER_BEAN_NAME = KiteAutoConfiguration.SCHEDULER_BEAN_NAME;

	/**
	 * The bean name of the post-processor that adds the built-in methods to the method
	 * registry.
	 */
	public static final String BUILTIN_METHODS_REGISTRAR_BEAN_NAME = "kiteBuiltinMethodsRegistrar";

	/**
	 * The bean name of the lifecycle that closes kite sessions when the application
	 * stops.
	 */
	public static final String SESSIONS_LIFECYCLE_BEAN_NAME = "kiteSessionsLifecycle";

	private static final Logger logger = LoggerFactory.getLogger(KiteServerAutoConfiguration.class);

	/**
	 * The methods this kite serves. The built-ins are added by
	 * {@link #kiteBuiltinMethodsRegistrar}, so a registry the application declares serves
	 * them too.
	 */
	@Bean
	@ConditionalOnMissingBean
	KiteMethodRegistry kiteMethodRegistry() {
		return new KiteMethodRegistry();
	}

	/**
	 * Adds the built-ins to the {@link KiteMethodRegistry} bean, whoever declares it.
	 * Declare a bean of this name to serve without them (or with your own {@code kite.*}
	 * methods).
	 */
	@Bean(name = BUILTIN_METHODS_REGISTRAR_BEAN_NAME)
	@ConditionalOnMissingBean(name = BUILTIN_METHODS_REGISTRAR_BEAN_NAME)
	static BeanPostProcessor kiteBuiltinMethodsRegistrar(
			@Qualifier(SCHEDULER_BEAN_NAME) ObjectProvider<TaskScheduler> scheduler) {
		return new BuiltinKiteMethodsRegistrar(scheduler);
	}

	@Bean
	@ConditionalOnMissingBean
	static AnnotatedKiteMethodDetector annotatedKiteMethodDetector(ApplicationContext context,
			ObjectProvider<KiteMethodRegistry> registry, ObjectProvider<KiteArgumentResolver> resolvers,
			@Qualifier(KiteAutoConfiguration.JSON_MAPPER_BEAN_NAME) ObjectProvider<JsonMapper> mapper) {
		return new AnnotatedKiteMethodDetector(context, registry.getObject(), resolvers.orderedStream().toList(),
				mapper.getObject());
	}

	/**
	 * Makes the {@link KitePeer} a {@code @KiteMethod} may declare to call what its
	 * caller exposes on the same connection.
	 */
	@Bean
	@ConditionalOnMissingBean
	KitePeers kitePeers(@Qualifier(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME) Kite localKite,
			@Qualifier(SCHEDULER_BEAN_NAME) TaskScheduler scheduler, @Qualifier(EXECUTOR_BEAN_NAME) Executor executor) {
		return new KitePeers(() -> localKite, scheduler, executor, KitePeers.DEFAULT_TIMEOUT);
	}

	@Bean
	@ConditionalOnMissingBean
	KitePeerArgumentResolver kitePeerArgumentResolver(KitePeers peers) {
		return new KitePeerArgumentResolver(peers);
	}

	@Bean
	@ConditionalOnMissingBean
	KiteAdviceExceptionResolver kiteAdviceExceptionResolver(ApplicationContext context) {
		return new KiteAdviceExceptionResolver(context);
	}

	/**
	 * Decides whether a kite key's embedded Kontrol key is trusted: by default an exact
	 * PEM match with the trusted Kontrol key(s). A Kontrol overrides this to trust its
	 * key store.
	 */
	@Bean
	@ConditionalOnMissingBean
	KontrolKeyTrust kontrolKeyTrust(KontrolTrustSource trustSource) {
		return new ConfiguredKontrolKeyTrust(trustSource::trustedKeys);
	}

	@Bean
	@ConditionalOnMissingBean
	KiteAuthoritiesConverter kiteAuthoritiesConverter() {
		return KiteAuthoritiesConverter.byAuthType();
	}

	/**
	 * The {@link AuthenticationManager} for kite calls: the {@code kiteKey} and
	 * {@code token} verifiers, then one provider per {@link KiteAuthenticator} bean.
	 * Declared with {@code defaultCandidate = false} so it never becomes the
	 * application's own (HTTP) manager.
	 */
	@Bean(name = AUTHENTICATION_MANAGER_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = AUTHENTICATION_MANAGER_BEAN_NAME)
	KiteAuthenticationManager kiteAuthenticationManager(KiteProperties properties,
			@Qualifier(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME) Kite localKite, KontrolTrustSource trustSource,
			KontrolKeyTrust keyTrust, KiteAuthoritiesConverter authorities,
			ObjectProvider<KiteAuthenticator> authenticators) {
		KiteProperties.Security security = properties.getSecurity();
		int cacheSize = security.getVerifiedCacheSize();
		if (cacheSize < 0) {
			throw new InvalidConfigurationPropertyValueException("kite.security.verified-cache-size", cacheSize,
					"Must not be negative");
		}
		Clock clock = Clock.systemUTC();
		List<AuthenticationProvider> providers = new ArrayList<>();
		providers.add(new KiteKeyAuthenticationProvider(trustCache(keyTrust, security, clock), authorities, clock,
				cacheSize));
		providers.add(new TokenAuthenticationProvider(() -> localKite, trustSource, authorities, clock, cacheSize));
		authenticators.orderedStream()
			.forEach((authenticator) -> providers.add(new KiteAuthenticatorProvider(authenticator, authorities)));
		return new KiteAuthenticationManager(providers);
	}

	private static KontrolKeyTrust trustCache(KontrolKeyTrust keyTrust, KiteProperties.Security security, Clock clock) {
		int size = security.getTrustCacheSize();
		if (size < 0) {
			throw new InvalidConfigurationPropertyValueException("kite.security.trust-cache-size", size,
					"Must not be negative");
		}
		return (size > 0) ? new CachingKontrolKeyTrust(keyTrust, security.getVerifyCacheTtl(), clock, size) : keyTrust;
	}

	@Bean
	@ConditionalOnMissingBean
	KiteDispatcher kiteDispatcher(KiteProperties properties, KiteMethodRegistry registry,
			@Qualifier(AUTHENTICATION_MANAGER_BEAN_NAME) AuthenticationManager authenticationManager,
			ObjectProvider<KiteExceptionResolver> exceptionResolvers,
			ObjectProvider<KiteMethodInterceptor> interceptors, @Qualifier(EXECUTOR_BEAN_NAME) Executor executor,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<KiteServerObservationConvention> observationConvention) {
		boolean authenticationEnabled = properties.getServer().getAuthentication().isEnabled();
		if (!authenticationEnabled) {
			logger.warn("kite.server.authentication.enabled=false: every kite method accepts unauthenticated calls");
		}
		applyThrottles(properties.getServer(), registry);
		return new KiteDispatcher(registry, authenticationManager, exceptionResolvers.orderedStream().toList(),
				interceptors.orderedStream().toList(), executor, authenticationEnabled,
				serverLimits(properties.getServer()), Clock.systemUTC(),
				observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP),
				observationConvention.getIfAvailable());
	}

	/**
	 * The per-connection limits of {@code kite.server.limits.*}, checked.
	 * @param server the server properties
	 * @return the limits
	 */
	public static KiteServerLimits serverLimits(KiteProperties.Server server) {
		KiteProperties.Limits limits = server.getLimits();
		requireAtLeast("kite.server.limits.max-in-flight-calls", limits.getMaxInFlightCalls(), 1);
		requireAtLeast("kite.server.limits.max-callbacks", limits.getMaxCallbacks(), 1);
		requireAtLeast("kite.server.limits.warnings-per-minute", limits.getWarningsPerMinute(), 0);
		return new KiteServerLimits(limits.getMaxInFlightCalls(), limits.getMaxCallbacks(),
				limits.getWarningsPerMinute());
	}

	private static void requireAtLeast(String property, int value, int minimum) {
		if (value < minimum) {
			throw new InvalidConfigurationPropertyValueException(property, value, "Must be at least " + minimum);
		}
	}

	/**
	 * Throttles the methods named under {@code kite.server.throttle}; configuration
	 * overrides a method's own throttle, whether it is registered yet or not.
	 */
	private static void applyThrottles(KiteProperties.Server server, KiteMethodRegistry registry) {
		server.getThrottle().forEach((method, throttle) -> {
			String prefix = "kite.server.throttle." + method;
			Duration fillInterval = throttle.getFillInterval();
			if (fillInterval == null || fillInterval.isNegative() || fillInterval.isZero()) {
				throw new InvalidConfigurationPropertyValueException(prefix + ".fill-interval", fillInterval,
						"Must be a positive duration");
			}
			requireAtLeast(prefix + ".capacity", throttle.getCapacity(), 1);
			registry.throttle(method, new KiteThrottle(fillInterval, throttle.getCapacity()));
		});
	}

	@Bean
	@ConditionalOnMissingBean
	KiteWebSocketHandler kiteWebSocketHandler(KiteProperties properties, KiteDispatcher dispatcher,
			@Qualifier(KiteAutoConfiguration.JSON_MAPPER_BEAN_NAME) JsonMapper mapper,
			@Qualifier(EXECUTOR_BEAN_NAME) Executor executor) {
		return new KiteWebSocketHandler(dispatcher, mapper, executor, webSocketLimits(properties.getServer()));
	}

	/**
	 * The WebSocket limits of {@code kite.server.*}, validated; shared with other kite
	 * endpoints the application serves (an embedded Kontrol).
	 * @param server the server properties
	 * @return the limits
	 * @throws InvalidConfigurationPropertyValueException naming the invalid property
	 */
	public static KiteWebSocketLimits webSocketLimits(KiteProperties.Server server) {
		long maxMessageSize = server.getMaxMessageSize().toBytes();
		if (maxMessageSize < 1 || maxMessageSize > Integer.MAX_VALUE / 4) {
			throw new InvalidConfigurationPropertyValueException("kite.server.max-message-size",
					server.getMaxMessageSize(), "Must be between 1 byte and 512MB");
		}
		long bufferLimit = server.getSendBufferSizeLimit().toBytes();
		if (bufferLimit < 1 || bufferLimit > Integer.MAX_VALUE) {
			throw new InvalidConfigurationPropertyValueException("kite.server.send-buffer-size-limit",
					server.getSendBufferSizeLimit(), "Must be between 1 byte and 2GB");
		}
		requirePositive("kite.server.send-time-limit", server.getSendTimeLimit());
		if (server.getMaxConnections() < 1) {
			throw new InvalidConfigurationPropertyValueException("kite.server.max-connections",
					server.getMaxConnections(), "Must be positive");
		}
		requirePositive("kite.server.ping-interval", server.getPingInterval());
		if (server.getIdleTimeout().compareTo(server.getPingInterval()) <= 0) {
			throw new InvalidConfigurationPropertyValueException("kite.server.idle-timeout", server.getIdleTimeout(),
					"Must be longer than kite.server.ping-interval (" + server.getPingInterval() + ")");
		}
		return new KiteWebSocketLimits((int) maxMessageSize, server.getSendTimeLimit(), (int) bufferLimit,
				server.getMaxConnections(), server.getPingInterval(), server.getIdleTimeout());
	}

	/**
	 * The endpoint settings of {@code kite.server.*} (origins, SockJS) for an endpoint at
	 * a path, validated; shared with other kite endpoints the application serves (an
	 * embedded Kontrol).
	 * @param server the server properties
	 * @param path the endpoint's path
	 * @param pathProperty the property the path comes from, named when it is invalid
	 * @return the settings
	 * @throws InvalidConfigurationPropertyValueException naming the invalid property
	 */
	public static KiteEndpointSettings endpointSettings(KiteProperties.Server server, String path,
			String pathProperty) {
		if (!path.startsWith("/") || path.endsWith("/")) {
			throw new InvalidConfigurationPropertyValueException(pathProperty, path,
					"Must start with '/' and not end with '/'");
		}
		KiteProperties.Sockjs sockjs = server.getSockjs();
		requirePositive("kite.server.sockjs.heartbeat-time", sockjs.getHeartbeatTime());
		requirePositive("kite.server.sockjs.disconnect-delay", sockjs.getDisconnectDelay());
		if (sockjs.getXhrHandoverTimeout().isNegative()) {
			throw new InvalidConfigurationPropertyValueException("kite.server.sockjs.xhr-handover-timeout",
					sockjs.getXhrHandoverTimeout(), "Must not be negative");
		}
		if (sockjs.getHttpMessageCacheSize() < 1) {
			throw new InvalidConfigurationPropertyValueException("kite.server.sockjs.http-message-cache-size",
					sockjs.getHttpMessageCacheSize(), "Must be positive");
		}
		if (sockjs.getMaxSessionsPerAddress() < 1) {
			throw new InvalidConfigurationPropertyValueException("kite.server.sockjs.max-sessions-per-address",
					sockjs.getMaxSessionsPerAddress(), "Must be positive");
		}
		if (sockjs.getHttpMessageCacheByteLimit().toBytes() < 1) {
			throw new InvalidConfigurationPropertyValueException("kite.server.sockjs.http-message-cache-byte-limit",
					sockjs.getHttpMessageCacheByteLimit(), "Must be positive");
		}
		return KiteEndpointSettings.builder()
			.path(path)
			.allowedOriginPatterns(server.getAllowedOrigins())
			.heartbeatTime(sockjs.getHeartbeatTime())
			.disconnectDelay(sockjs.getDisconnectDelay())
			.httpMessageCacheSize(sockjs.getHttpMessageCacheSize())
			.httpMessageCacheByteLimit(sockjs.getHttpMessageCacheByteLimit().toBytes())
			.xhrHandoverTimeout(sockjs.getXhrHandoverTimeout())
			.maxSessionsPerAddress(sockjs.getMaxSessionsPerAddress())
			.build();
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(name, value, "Must be positive");
		}
	}

	/**
	 * Stops the kite server gracefully when the application stops, before the web
	 * server's graceful shutdown (which would otherwise wait for held XHR polls): new
	 * calls are refused with {@code genericError} "server is shutting down", the calls in
	 * flight may finish within {@code spring.lifecycle.timeout-per-shutdown-phase}, then
	 * every session is closed with 1001 (going away) so peers reconnect elsewhere at
	 * once. Declare a bean of this name to stop sessions your own way.
	 */
	@Bean(name = SESSIONS_LIFECYCLE_BEAN_NAME)
	@ConditionalOnMissingBean(name = SESSIONS_LIFECYCLE_BEAN_NAME)
	SmartLifecycle kiteSessionsLifecycle(KiteDispatcher dispatcher, KiteWebSocketHandler handler,
			@Qualifier(SCHEDULER_BEAN_NAME) TaskScheduler scheduler, Environment environment) {
		return drainingLifecycle(dispatcher.drain(), handler::closeSessions, scheduler, environment);
	}

	/**
	 * A lifecycle that, on stop, refuses new calls, lets the calls in flight finish
	 * within {@code spring.lifecycle.timeout-per-shutdown-phase} (less a margin), then
	 * closes the sessions with 1001 (going away); it never blocks the stopping thread. It
	 * stops after the Kontrol registration and before Boot's graceful web server
	 * shutdown.
	 * @param drain the dispatcher's calls in flight
	 * @param closeSessions closes the endpoint's sessions with a status
	 * @param scheduler bounds the drain
	 * @param environment where the shutdown phase timeout is read
	 * @return the lifecycle
	 */
	public static SmartLifecycle drainingLifecycle(KiteDrain drain, Consumer<CloseStatus> closeSessions,
			TaskScheduler scheduler, Environment environment) {
		Duration phaseTimeout = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(KiteServerLifecycle.DEFAULT_PHASE_TIMEOUT);
		return new KiteServerLifecycle(drain, closeSessions, scheduler, KiteServerLifecycle.drainTimeout(phaseTimeout));
	}

	/**
	 * Says what is served once the web server is up (when Boot's web server support is
	 * present: a servlet context without an embedded server publishes no such event).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.web.server.context.WebServerInitializedEvent")
	static class KiteStartupReportConfiguration {

		@Bean
		@ConditionalOnMissingBean
		KiteStartupReport kiteStartupReport(@Qualifier(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME) Kite localKite,
				KiteMethodRegistry registry, KontrolTrustSource trustSource, KiteProperties properties,
				ObjectProvider<KiteAuthenticator> authenticators) {
			return new KiteStartupReport(localKite, registry, trustSource, properties,
					authenticators.stream().findAny().isPresent());
		}

	}

	/**
	 * Raises Tomcat's connection limit (Boot's default: 8192) to
	 * {@code kite.server.max-connections} plus 1024 for plain HTTP, unless
	 * {@code server.tomcat.max-connections} is set: otherwise idle kite connections would
	 * lock every new request out before the kite's own limit answers 503. Sizes Tomcat's
	 * socket buffers when {@code kite.server.tomcat-socket-buffer-size} is set.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConfigurableTomcatWebServerFactory.class)
	static class KiteTomcatConfiguration {

		/** Connections kept for plain HTTP beyond the kite's own limit. */
		static final int HTTP_HEADROOM = 1024;

		@Bean
		WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> kiteTomcatConnectionsCustomizer(
				KiteProperties properties, Environment environment) {
			return (factory) -> {
				if (environment.containsProperty("server.tomcat.max-connections")) {
					return;
				}
				int wanted = properties.getServer().getMaxConnections() + HTTP_HEADROOM;
				factory.addConnectorCustomizers((connector) -> {
					if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol
							&& protocol.getMaxConnections() >= 0 && protocol.getMaxConnections() < wanted) {
						protocol.setMaxConnections(wanted);
					}
				});
			};
		}

		/**
		 * Sizes Tomcat's socket read and write buffers ({@code socket.appReadBufSize},
		 * {@code socket.appWriteBufSize}) to
		 * {@code kite.server.tomcat-socket-buffer-size} when it is set. Tomcat allocates
		 * both for every connection it accepts and keeps them while the connection is
		 * open, also after the upgrade to WebSocket; it has no setting for upgraded
		 * connections alone, so this applies to HTTP as well.
		 */
		@Bean
		@ConditionalOnProperty("kite.server.tomcat-socket-buffer-size")
		WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> kiteTomcatSocketBufferCustomizer(
				KiteProperties properties) {
			DataSize size = properties.getServer().getTomcatSocketBufferSize();
			int bytes = (size != null) ? bufferBytes("kite.server.tomcat-socket-buffer-size", size) : 0;
			return (factory) -> factory.addConnectorCustomizers((connector) -> {
				if (bytes > 0) {
					connector.setProperty("socket.appReadBufSize", Integer.toString(bytes));
					connector.setProperty("socket.appWriteBufSize", Integer.toString(bytes));
				}
			});
		}

	}

	/**
	 * Sets the servlet container's default WebSocket message buffers to
	 * {@code kite.server.websocket-message-buffer-size} (see
	 * {@link WebSocketContainerBuffers}) once the singletons exist: after the embedded
	 * server's context has started, before its connectors accept, so every connection
	 * gets them. A {@link SmartInitializingSingleton}, which lazy initialization leaves
	 * out.
	 */
	@Bean
	@ConditionalOnProperty("kite.server.websocket-message-buffer-size")
	static KiteWebSocketMessageBuffers kiteWebSocketMessageBuffers(KiteProperties properties) {
		DataSize size = properties.getServer().getWebsocketMessageBufferSize();
		return new KiteWebSocketMessageBuffers(
				(size != null) ? bufferBytes("kite.server.websocket-message-buffer-size", size) : 0);
	}

	/** Applies {@link #kiteWebSocketMessageBuffers}: on the thread that refreshes. */
	static final class KiteWebSocketMessageBuffers implements ServletContextAware, SmartInitializingSingleton {

		private final int bytes;

		private @Nullable ServletContext servletContext;

		KiteWebSocketMessageBuffers(int bytes) {
			this.bytes = bytes;
		}

		@Override
		public void setServletContext(ServletContext servletContext) {
			this.servletContext = servletContext;
		}

		@Override
		public void afterSingletonsInstantiated() {
			if (this.bytes > 0 && this.servletContext != null) {
				WebSocketContainerBuffers.apply(this.servletContext, this.bytes);
			}
		}

	}

	private static int bufferBytes(String property, DataSize size) {
		if (size.toBytes() < 128 || size.toBytes() > 1024 * 1024) {
			throw new InvalidConfigurationPropertyValueException(property, size,
					"A buffer size is between 128B and 1MB");
		}
		return (int) size.toBytes();
	}

	/**
	 * Serves the handler through the kite SockJS endpoint ({@link KiteEndpointRegistrar})
	 * at {@code kite.server.path}, customized by every {@link KiteServerCustomizer} bean
	 * in order.
	 */
	@Configuration(proxyBeanMethods = false)
	static class KiteEndpointConfiguration {

		/** The bean name of the endpoint's handler mapping. */
		static final String HANDLER_MAPPING_BEAN_NAME = "kiteEndpointHandlerMapping";

		@Bean(name = HANDLER_MAPPING_BEAN_NAME)
		@ConditionalOnMissingBean(name = HANDLER_MAPPING_BEAN_NAME)
		WebSocketHandlerMapping kiteEndpointHandlerMapping(KiteProperties properties, KiteWebSocketHandler handler,
				@Qualifier(SCHEDULER_BEAN_NAME) TaskScheduler scheduler,
				ObjectProvider<KiteServerCustomizer> customizers) {
			KiteProperties.Server server = properties.getServer();
			return new KiteEndpointRegistrar(handler, endpointSettings(server, server.getPath(), "kite.server.path"),
					scheduler, customizers.orderedStream().toList())
				.handlerMapping();
		}

	}

}
