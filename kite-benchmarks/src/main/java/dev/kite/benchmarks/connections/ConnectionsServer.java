package dev.kite.benchmarks.connections;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.benchmarks.LoopbackTomcat;
import dev.kite.dnode.DnodeModule;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteWebSocketLimits;
import dev.kite.server.websocket.KiteEndpointRegistrar;
import dev.kite.server.websocket.KiteEndpointSettings;
import dev.kite.server.websocket.KiteWebSocketHandler;
import dev.kite.server.websocket.WebSocketContainerBuffers;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * Our kite endpoint (the production {@link KiteEndpointRegistrar}: SockJS and raw
 * WebSocket) on embedded Tomcat at a loopback ephemeral port, serving {@code square(n)},
 * with room for {@code connections} kite connections: Tomcat's connection limit and the
 * kite's are raised to it, one address may open that many SockJS sessions, and the idle
 * timeout is an hour (the benchmark's connections are idle on purpose and do not answer
 * pings while it measures).
 *
 * <p>
 * Threads: Tomcat's and the kite executor's; {@link #close()} on the owner's thread.
 */
final class ConnectionsServer implements AutoCloseable {

	private final LoopbackTomcat server;

	private final AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final int port;

	/**
	 * @param connections the kite connections to allow
	 * @param messageBuffer the container's default WebSocket message buffers in bytes (as
	 * {@code kite.server.websocket-message-buffer-size} sets them), 0 for its own
	 * @param socketBuffer Tomcat's socket read and write buffers in bytes (as
	 * {@code kite.server.tomcat-socket-buffer-size} sets them), 0 for its own
	 */
	ConnectionsServer(int connections, int messageBuffer, int socketBuffer) throws Exception {
		this.scheduler.setPoolSize(2);
		this.scheduler.setDaemon(true);
		this.scheduler.initialize();
		KiteMethodRegistry registry = new KiteMethodRegistry();
		registry.register(new KiteMethodDefinition("square", (invocation) -> {
			double n = invocation.arguments().get(0).asDouble();
			return n * n;
		}, false, "connections"));
		KiteDispatcher dispatcher = new KiteDispatcher(registry, new KiteAuthenticationManager(List.of()), List.of(),
				List.of(), this.executor, true);
		KiteWebSocketLimits defaults = KiteWebSocketLimits.defaults();
		KiteWebSocketLimits limits = new KiteWebSocketLimits(defaults.maxMessageSize(), defaults.sendTimeLimit(),
				defaults.sendBufferSizeLimit(), connections, Duration.ofHours(1), Duration.ofHours(2));
		KiteWebSocketHandler handler = new KiteWebSocketHandler(dispatcher,
				JsonMapper.builder().addModule(new DnodeModule()).build(), this.executor, limits);
		KiteEndpointRegistrar endpoint = new KiteEndpointRegistrar(handler,
				KiteEndpointSettings.builder().maxSessionsPerAddress(connections).build(), this.scheduler, List.of());
		this.context.addBeanFactoryPostProcessor(
				(beanFactory) -> ((BeanDefinitionRegistry) beanFactory).registerBeanDefinition("kiteEndpoint",
						BeanDefinitionBuilder
							.genericBeanDefinition(WebSocketHandlerMapping.class, endpoint::handlerMapping)
							.getBeanDefinition()));
		this.server = LoopbackTomcat.start("connections", this.context, (connector) -> {
			connector.setProperty("maxConnections", Integer.toString(connections + 1024));
			connector.setProperty("acceptCount", "1000");
			if (socketBuffer > 0) {
				connector.setProperty("socket.appReadBufSize", Integer.toString(socketBuffer));
				connector.setProperty("socket.appWriteBufSize", Integer.toString(socketBuffer));
			}
		});
		if (messageBuffer > 0) {
			WebSocketContainerBuffers.apply(this.server.servletContext(), messageBuffer);
		}
		this.port = this.server.port();
	}

	int port() {
		return this.port;
	}

	@Override
	public void close() throws Exception {
		this.server.close();
		this.scheduler.shutdown();
		this.executor.shutdownNow();
	}

}
