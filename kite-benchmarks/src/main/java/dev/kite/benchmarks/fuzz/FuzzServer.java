package dev.kite.benchmarks.fuzz;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.benchmarks.LoopbackTomcat;
import dev.kite.client.KiteClientFactory;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteWebSocketLimits;
import dev.kite.rpc.builtin.BuiltinKiteMethods;
import dev.kite.server.websocket.KiteEndpointRegistrar;
import dev.kite.server.websocket.KiteEndpointSettings;
import dev.kite.server.websocket.KiteWebSocketHandler;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Our kite endpoint as an application serves it, for the fuzzer and the soak: embedded
 * Tomcat at a loopback ephemeral port, Spring MVC, the production
 * {@link KiteEndpointRegistrar} (SockJS, raw WebSocket, XHR) in front of a
 * {@link KiteWebSocketHandler} with the default limits (1 MiB messages) and the mapper
 * {@link KiteClientFactory#defaultObjectMapper()} builds (the parser caps of
 * {@code DnodeModule}). It serves the built-ins and
 * <ul>
 * <li>{@code square(n)}: {@code n * n}, an {@code argumentError} when {@code n} is not a
 * number;</li>
 * <li>{@code echo(x)}: {@code x} as received (so hostile strings travel back).</li>
 * </ul>
 *
 * <p>
 * Threads: Tomcat's threads read the sockets and decode frames; methods run on a fixed
 * pool of four; heartbeats on a two-thread scheduler. Created and closed by one thread.
 */
public final class FuzzServer implements AutoCloseable {

	private final LoopbackTomcat server;

	private final AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();

	private final ExecutorService executor = Executors.newFixedThreadPool(4);

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final KiteWebSocketHandler handler;

	private final int port;

	/**
	 * Starts the server.
	 * @throws Exception when Tomcat cannot start
	 */
	public FuzzServer() throws Exception {
		this.scheduler.setPoolSize(2);
		this.scheduler.setDaemon(true);
		this.scheduler.setThreadNamePrefix("fuzz-scheduler-");
		this.scheduler.initialize();
		KiteMethodRegistry registry = new KiteMethodRegistry();
		BuiltinKiteMethods.registerAll(registry, this.scheduler);
		registry.register(new KiteMethodDefinition("square", (invocation) -> {
			JsonNode n = invocation.argument(0);
			if (n == null || !n.isNumber()) {
				throw new KiteException(KiteErrorTypes.ARGUMENT_ERROR, "square needs a number");
			}
			return n.asDouble() * n.asDouble();
		}, false, "fuzz"));
		registry.register(new KiteMethodDefinition("echo", (invocation) -> invocation.argument(0), false, "fuzz"));
		KiteDispatcher dispatcher = new KiteDispatcher(registry, new KiteAuthenticationManager(List.of()), List.of(),
				List.of(), this.executor, true);
		this.handler = new KiteWebSocketHandler(dispatcher, KiteClientFactory.defaultObjectMapper(), this.executor,
				KiteWebSocketLimits.defaults());
		KiteEndpointRegistrar endpoint = new KiteEndpointRegistrar(this.handler, KiteEndpointSettings.builder().build(),
				this.scheduler, List.of());
		this.context.addBeanFactoryPostProcessor(
				(beanFactory) -> ((BeanDefinitionRegistry) beanFactory).registerBeanDefinition("kiteEndpoint",
						BeanDefinitionBuilder
							.genericBeanDefinition(WebSocketHandlerMapping.class, endpoint::handlerMapping)
							.getBeanDefinition()));
		this.server = LoopbackTomcat.start("fuzz", this.context, (connector) -> {
			// As many connections as the soak opens, and then some.
			connector.setProperty("maxConnections", "20000");
		});
		this.port = this.server.port();
	}

	/** The SockJS base URL, {@code http://127.0.0.1:<port>/kite}. */
	public String url() {
		return "http://127.0.0.1:" + this.port + "/kite";
	}

	/** The raw WebSocket URL, {@code ws://127.0.0.1:<port>/kite/websocket}. */
	public String rawWebSocketUrl() {
		return "ws://127.0.0.1:" + this.port + "/kite/websocket";
	}

	/** The kite sessions open on the server now. */
	public int sessionCount() {
		return this.handler.sessionCount();
	}

	/** The largest message the server accepts, in characters. */
	public int maxMessageSize() {
		return this.handler.limits().maxMessageSize();
	}

	@Override
	public void close() throws Exception {
		this.server.close();
		this.scheduler.shutdown();
		this.executor.shutdownNow();
	}

}
