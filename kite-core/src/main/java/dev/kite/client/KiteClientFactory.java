package dev.kite.client;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeModule;
import dev.kite.observation.KiteClientObservationConvention;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.builtin.BuiltinKiteMethods;
import dev.kite.rpc.KiteWebSocketLimits;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.client.RestClient;
import org.springframework.web.socket.client.WebSocketClient;
import tools.jackson.databind.ObjectMapper;

/**
 * Creates {@link KiteConnection}s that share the expensive pieces: the
 * {@link ObjectMapper} (with a {@link DnodeModule}), the executor that runs handlers,
 * callbacks and completions, the {@link TaskScheduler} for call timeouts and reconnect
 * delays, the {@link KiteDispatcher} that serves the peers' calls on dialed connections,
 * and the Spring WebSocket, SockJS and HTTP clients. A client with its own
 * {@link KiteClientOptions#sslContext() SSLContext} gets its own transports.
 *
 * <p>
 * Anything not supplied to the {@link Builder} is created, owned and released by
 * {@link #close()}: a cached daemon thread pool, a one-thread scheduler, and a dispatcher
 * that serves only the built-in methods ({@code kite.ping}, {@code kite.heartbeat},
 * {@code kite.systemInfo}, {@code kite.log}) with no authentication providers. In a
 * Spring application, supply the application's executor, scheduler and dispatcher (the
 * one the kite server uses) instead. Calls do not schedule a task each: every connection
 * keeps one timeout sweep scheduled while calls wait (see {@code PendingCalls}), so the
 * scheduler's queue holds a few tasks per connection at most.
 *
 * <p>
 * Without a supplied {@link Builder#webSocketClient(WebSocketClient) WebSocketClient},
 * the factory builds a {@code StandardWebSocketClient} and so needs a JSR-356 client
 * implementation at run time ({@code tomcat-embed-websocket}, which
 * {@code spring-boot-starter-websocket} brings; kite-core only compiles against the API).
 *
 * <p>
 * Thread safety: {@link #create} may be called from any thread.
 */
public final class KiteClientFactory implements AutoCloseable {

	private final Resources resources;

	private final KiteTransports sharedTransports;

	private final @Nullable ExecutorService ownedExecutor;

	private final @Nullable ThreadPoolTaskScheduler ownedScheduler;

	private final Set<KiteConnection> clients = ConcurrentHashMap.newKeySet();

	private final Set<KiteTransports> ownTransports = ConcurrentHashMap.newKeySet();

	private KiteClientFactory(Builder builder) {
		ObjectMapper mapper = (builder.mapper != null) ? DnodeConnection.requireModule(builder.mapper)
				: defaultObjectMapper();
		Executor executor;
		if (builder.executor != null) {
			executor = builder.executor;
			this.ownedExecutor = null;
		}
		else {
			ExecutorService own = Executors.newCachedThreadPool(KiteTransports.daemonThreads("kite-client-"));
			this.ownedExecutor = own;
			executor = own;
		}
		TaskScheduler scheduler = builder.scheduler;
		if (scheduler == null) {
			ThreadPoolTaskScheduler own = new ThreadPoolTaskScheduler();
			own.setThreadNamePrefix("kite-client-scheduler-");
			own.setDaemon(true);
			own.setRemoveOnCancelPolicy(true);
			own.initialize();
			this.ownedScheduler = own;
			scheduler = own;
		}
		else {
			this.ownedScheduler = null;
		}
		KiteDispatcher dispatcher = builder.dispatcher;
		if (dispatcher == null) {
			KiteMethodRegistry registry = new KiteMethodRegistry();
			BuiltinKiteMethods.registerAll(registry, scheduler);
			dispatcher = new KiteDispatcher(registry, new KiteAuthenticationManager(List.of()), List.of(), List.of(),
					executor, true);
		}
		this.resources = new Resources(mapper, executor, scheduler, dispatcher, builder.limits, this,
				builder.observationRegistry, builder.observationConvention);
		if (builder.webSocketClient != null || builder.restClient != null) {
			WebSocketClient webSocket = (builder.webSocketClient != null) ? builder.webSocketClient : KiteTransports
				.webSocketClient(null, builder.limits.maxMessageSize(), KiteClientOptions.DEFAULT_TIMEOUT);
			this.sharedTransports = (builder.restClient != null) ? new KiteTransports(webSocket, builder.restClient)
					: new KiteTransports(webSocket, KiteTransports.restClient(null, KiteClientOptions.DEFAULT_TIMEOUT),
							KiteTransports.infoRestClient(null, KiteClientOptions.DEFAULT_TIMEOUT));
		}
		else {
			this.sharedTransports = KiteTransports.create(null, builder.limits.maxMessageSize(),
					KiteClientOptions.DEFAULT_TIMEOUT);
		}
	}

	/**
	 * The mapper a factory uses when none is supplied: {@link DnodeModule#newMapper()}.
	 * @return a new mapper
	 */
	public static ObjectMapper defaultObjectMapper() {
		return DnodeModule.newMapper();
	}

	/** A builder; every setting is optional. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Creates a client. It does not dial until {@link KiteConnection#connect()}.
	 * @param options the client's options
	 * @return a new client
	 */
	public KiteConnection create(KiteClientOptions options) {
		KiteTransports transports = this.sharedTransports;
		if (options.sslContext() != null) {
			transports = KiteTransports.create(options.sslContext(), this.resources.limits().maxMessageSize(),
					options.connectTimeout());
			this.ownTransports.add(transports);
		}
		KiteConnection client = new KiteConnection(options, this.resources, transports);
		this.clients.add(client);
		return client;
	}

	/**
	 * Creates a client for a URL with the default options
	 * ({@link KiteClientOptions#builder(String)}).
	 * @param url the kite's URL
	 * @return a new client
	 */
	public KiteConnection create(String url) {
		return create(KiteClientOptions.builder(url).build());
	}

	/** The mapper clients encode and decode with. */
	public ObjectMapper objectMapper() {
		return this.resources.mapper();
	}

	/** The dispatcher that serves the peers' calls on dialed connections. */
	public KiteDispatcher dispatcher() {
		return this.resources.dispatcher();
	}

	/** Closes every client this factory created and releases what it owns. */
	@Override
	public void close() {
		for (KiteConnection client : List.copyOf(this.clients)) {
			client.close();
		}
		this.sharedTransports.stop();
		for (KiteTransports transports : this.ownTransports) {
			transports.stop();
		}
		if (this.ownedScheduler != null) {
			this.ownedScheduler.shutdown();
		}
		if (this.ownedExecutor != null) {
			this.ownedExecutor.shutdown();
		}
	}

	/** What every client of one factory shares. */
	record Resources(ObjectMapper mapper, Executor executor, TaskScheduler scheduler, KiteDispatcher dispatcher,
			KiteWebSocketLimits limits, KiteClientFactory factory, ObservationRegistry observationRegistry,
			@Nullable KiteClientObservationConvention observationConvention) {

		void forget(KiteConnection client) {
			this.factory.clients.remove(client);
		}

	}

	/** Builds a {@link KiteClientFactory}. Not thread-safe. */
	public static final class Builder {

		private @Nullable ObjectMapper mapper;

		private @Nullable Executor executor;

		private @Nullable TaskScheduler scheduler;

		private @Nullable KiteDispatcher dispatcher;

		private @Nullable WebSocketClient webSocketClient;

		private @Nullable RestClient restClient;

		private KiteWebSocketLimits limits = KiteWebSocketLimits.defaults();

		private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		private @Nullable KiteClientObservationConvention observationConvention;

		private Builder() {
		}

		/**
		 * The mapper for arguments and results; it must have a {@link DnodeModule}, and
		 * should not canonicalise property names (see
		 * {@link KiteClientFactory#defaultObjectMapper()}).
		 */
		public Builder objectMapper(ObjectMapper mapper) {
			this.mapper = Objects.requireNonNull(mapper);
			return this;
		}

		/**
		 * Runs the peers' calls, callback invocations, future completions and listeners.
		 */
		public Builder executor(Executor executor) {
			this.executor = Objects.requireNonNull(executor);
			return this;
		}

		/**
		 * Runs call timeouts and reconnect delays (and the built-in heartbeat of the
		 * default dispatcher).
		 */
		public Builder taskScheduler(TaskScheduler scheduler) {
			this.scheduler = Objects.requireNonNull(scheduler);
			return this;
		}

		/**
		 * Serves the peers' calls on dialed connections; normally the kite server's
		 * dispatcher.
		 */
		public Builder dispatcher(KiteDispatcher dispatcher) {
			this.dispatcher = Objects.requireNonNull(dispatcher);
			return this;
		}

		/**
		 * The WebSocket client for raw WebSocket and SockJS-over-WebSocket connections of
		 * clients without their own SSLContext (default: a
		 * {@code StandardWebSocketClient} on the JSR-356 container found on the class
		 * path).
		 */
		public Builder webSocketClient(WebSocketClient webSocketClient) {
			this.webSocketClient = Objects.requireNonNull(webSocketClient);
			return this;
		}

		/**
		 * The HTTP client for SockJS {@code /info} and XHR polling of clients without
		 * their own SSLContext (default: a {@code RestClient} on the JDK
		 * {@code HttpClient}, HTTP/1.1).
		 */
		public Builder restClient(RestClient restClient) {
			this.restClient = Objects.requireNonNull(restClient);
			return this;
		}

		/**
		 * Message size and send buffering limits per connection (default: the server's
		 * defaults).
		 */
		public Builder limits(KiteWebSocketLimits limits) {
			this.limits = Objects.requireNonNull(limits);
			return this;
		}

		/**
		 * Observes every call the factory's connections send
		 * ({@code kite.client.requests}) (default: {@link ObservationRegistry#NOOP},
		 * nothing observed).
		 */
		public Builder observationRegistry(ObservationRegistry observationRegistry) {
			this.observationRegistry = Objects.requireNonNull(observationRegistry);
			return this;
		}

		/**
		 * Replaces {@link dev.kite.observation.DefaultKiteClientObservationConvention}
		 * for the client calls' observations.
		 */
		public Builder observationConvention(KiteClientObservationConvention observationConvention) {
			this.observationConvention = Objects.requireNonNull(observationConvention);
			return this;
		}

		public KiteClientFactory build() {
			return new KiteClientFactory(this);
		}

	}

}
