package dev.kite.interop;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.client.KiteClientFactory;
import dev.kite.dnode.DnodeModule;
import dev.kite.kontrol.Kontrol;
import dev.kite.kontrol.KontrolKeys;
import dev.kite.kontrol.KontrolSettings;
import dev.kite.kontrol.store.KontrolKeyPair;
import dev.kite.kontrol.store.memory.InMemoryKeyPairStore;
import dev.kite.kontrol.store.memory.InMemoryKiteStore;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteWebSocketLimits;
import dev.kite.rpc.builtin.BuiltinKiteMethods;
import dev.kite.server.websocket.KiteEndpointRegistrar;
import dev.kite.server.websocket.KiteEndpointSettings;
import dev.kite.server.websocket.KiteWebSocketHandler;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Java {@link Kontrol} (module {@code kite-kontrol}, in-memory stores, a fresh
 * self key pair) served on an ephemeral loopback port by embedded Tomcat through the
 * production {@link KiteEndpointRegistrar}: SockJS at {@code http://127.0.0.1:PORT/kite},
 * raw WebSocket at {@code ws://127.0.0.1:PORT/kite/websocket}. Its method registry holds
 * Kontrol's methods and the built-ins; its dispatcher authenticates with
 * {@link Kontrol#authenticationProviders()}. Settings are the library defaults (Go's
 * constants: heartbeats every 10 s, registrations deleted when their connection closes).
 *
 * <p>
 * Threads: Tomcat's threads read the sockets; handlers, callbacks and client completions
 * run on one cached pool; Kontrol's heartbeat watchdogs, the built-in heartbeat pings of
 * {@link #clientFactory() client factories} and call timeouts run on one
 * {@link ThreadPoolTaskScheduler}. {@link #close()} stops Tomcat, then Kontrol, then both
 * pools (each wait bounded).
 */
public final class JavaKontrol implements AutoCloseable {

	/** Kontrol's username: the issuer of its tokens and the subject of its kite key. */
	public static final String USERNAME = "kontrol";

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final Tomcat tomcat = new Tomcat();

	private final AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();

	// Counts refreshes per kite id: the first heartbeat ping of a registered kite
	// refreshes its record at once (PROTOCOL §6.3), so a count above zero proves that
	// kite answered kite.heartbeat and pings.
	private final Map<String, AtomicInteger> refreshes = new ConcurrentHashMap<>();

	private final InMemoryKiteStore store = new InMemoryKiteStore() {

		@Override
		public boolean refresh(String kiteId, String url, Instant now) {
			JavaKontrol.this.refreshes.computeIfAbsent(kiteId, (id) -> new AtomicInteger()).incrementAndGet();
			return super.refresh(kiteId, url, now);
		}

	};

	private final int port;

	private final Kontrol kontrol;

	private JavaKontrol(KontrolKeyPair selfKeyPair) throws IOException, LifecycleException {
		this.scheduler.setPoolSize(2);
		this.scheduler.setThreadNamePrefix("java-kontrol-");
		this.scheduler.setDaemon(true);
		// Every client call schedules a timeout that its answer cancels.
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.scheduler.initialize();
		File base = Files.createTempDirectory("java-kontrol-tomcat").toFile();
		this.tomcat.setBaseDir(base.getAbsolutePath());
		this.tomcat.setHostname("127.0.0.1");
		this.tomcat.setPort(0);
		this.tomcat.getConnector().setProperty("address", "127.0.0.1");
		// init() binds the socket (bindOnInit), so the port is known before Kontrol is
		// built: its kite keys carry the real kontrolURL.
		this.tomcat.init();
		this.port = this.tomcat.getConnector().getLocalPort();
		this.kontrol = new Kontrol(KontrolSettings.builder(USERNAME, this.scheduler).kontrolUrl(url()).build(),
				this.store, new InMemoryKeyPairStore(), selfKeyPair);
		this.kontrol.start();
		KiteDispatcher dispatcher = this.kontrol.newDispatcher(this.kontrol.newMethodRegistry(), this.executor);
		KiteWebSocketHandler handler = new KiteWebSocketHandler(dispatcher,
				JsonMapper.builder().addModule(new DnodeModule()).build(), this.executor,
				KiteWebSocketLimits.defaults());
		KiteEndpointRegistrar endpoint = new KiteEndpointRegistrar(handler, KiteEndpointSettings.builder().build(),
				this.scheduler, List.of());
		this.context.addBeanFactoryPostProcessor(
				(beanFactory) -> ((BeanDefinitionRegistry) beanFactory).registerBeanDefinition("kiteEndpoint",
						BeanDefinitionBuilder
							.genericBeanDefinition(WebSocketHandlerMapping.class, endpoint::handlerMapping)
							.getBeanDefinition()));
		Context webapp = this.tomcat.addContext("", base.getAbsolutePath());
		webapp.addServletContainerInitializer(new WsSci(), null);
		Wrapper servlet = Tomcat.addServlet(webapp, "dispatcher", new DispatcherServlet(this.context));
		servlet.setAsyncSupported(true);
		servlet.setLoadOnStartup(1);
		webapp.addServletMappingDecoded("/", "dispatcher");
		this.tomcat.start();
	}

	/**
	 * Starts a Kontrol with a new self key pair; fails if Tomcat cannot start.
	 * @return the running Kontrol
	 */
	public static JavaKontrol start() {
		return start(KontrolKeys.generate());
	}

	/**
	 * Starts a Kontrol with the given self key pair (so that a kite can be told to trust
	 * it before Kontrol runs); fails if Tomcat cannot start.
	 * @param selfKeyPair Kontrol's key pair
	 * @return the running Kontrol
	 */
	public static JavaKontrol start(KontrolKeyPair selfKeyPair) {
		try {
			return new JavaKontrol(selfKeyPair);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (LifecycleException ex) {
			throw new IllegalStateException("Could not start Tomcat for the Java Kontrol", ex);
		}
	}

	/** The Kontrol library object. */
	public Kontrol kontrol() {
		return this.kontrol;
	}

	/** The registry behind it (for asserting what is registered). */
	public InMemoryKiteStore store() {
		return this.store;
	}

	/**
	 * How often the record of a kite was refreshed by its heartbeat pings.
	 * @param kiteId the kite's id
	 * @return the count, 0 if never
	 */
	public int refreshes(String kiteId) {
		AtomicInteger count = this.refreshes.get(kiteId);
		return (count != null) ? count.get() : 0;
	}

	/** The SockJS base URL, {@code http://127.0.0.1:PORT/kite}. */
	public String url() {
		return "http://127.0.0.1:" + this.port + "/kite";
	}

	/** The raw WebSocket URL, {@code ws://127.0.0.1:PORT/kite/websocket}. */
	public String rawWebSocketUrl() {
		return "ws://127.0.0.1:" + this.port + "/kite/websocket";
	}

	/**
	 * Kontrol's public key (PKIX PEM), what kites trust ({@code kite.kontrol.key}).
	 */
	public String publicKeyPem() {
		return this.kontrol.selfKeyPair().publicKey();
	}

	/**
	 * A kite key for a user, signed by Kontrol's self pair (Go's
	 * {@code kontrol -initial}).
	 * @param username the owner
	 * @return the kite key JWT
	 */
	public String issueKiteKey(String username) {
		return this.kontrol.issueKiteKey(username);
	}

	/**
	 * A new client factory whose dispatcher serves the built-in methods, so that a kite
	 * registering through it answers Kontrol's {@code kite.heartbeat} and then pings.
	 * Calls the peer makes are not authenticated (the default of dialed connections: Go
	 * trusts the kite it dialed). The caller closes it.
	 * @return the factory
	 */
	public KiteClientFactory clientFactory() {
		KiteMethodRegistry registry = new KiteMethodRegistry();
		BuiltinKiteMethods.registerAll(registry, this.scheduler);
		return KiteClientFactory.builder()
			.executor(this.executor)
			.taskScheduler(this.scheduler)
			.dispatcher(new KiteDispatcher(registry, new KiteAuthenticationManager(List.of()), List.of(), List.of(),
					this.executor, true))
			.build();
	}

	@Override
	public void close() {
		try {
			this.tomcat.stop();
			this.tomcat.destroy();
		}
		catch (LifecycleException ex) {
			throw new IllegalStateException("Could not stop the Java Kontrol's Tomcat", ex);
		}
		finally {
			this.kontrol.close();
			this.context.close();
			this.scheduler.shutdown();
			this.executor.shutdownNow();
			try {
				this.executor.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public String toString() {
		return "Java Kontrol at " + url();
	}

}
