package dev.kite.benchmarks.load;

import java.util.List;
import java.util.concurrent.CompletableFuture;
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
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * Our kite endpoint in the test JVM, on embedded Tomcat at a loopback ephemeral port (the
 * production {@link KiteEndpointRegistrar}, SockJS, raw WebSocket and XHR), serving
 * {@code square(n)}, {@code fail()} (always an error) and {@code never()} (never
 * answers).
 */
final class InProcessKite implements AutoCloseable {

	private final LoopbackTomcat server;

	private final AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final int port;

	InProcessKite() throws Exception {
		this.scheduler.setPoolSize(2);
		this.scheduler.setDaemon(true);
		this.scheduler.initialize();
		KiteMethodRegistry registry = new KiteMethodRegistry();
		registry.register(new KiteMethodDefinition("square", (invocation) -> {
			double n = invocation.arguments().get(0).asDouble();
			return n * n;
		}, false, "test"));
		registry.register(new KiteMethodDefinition("fail", (invocation) -> {
			throw new IllegalStateException("boom");
		}, false, "test"));
		registry.register(new KiteMethodDefinition("never", (invocation) -> new CompletableFuture<>(), false, "test"));
		KiteDispatcher dispatcher = new KiteDispatcher(registry, new KiteAuthenticationManager(List.of()), List.of(),
				List.of(), this.executor, true);
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
		this.server = LoopbackTomcat.start("kite", this.context);
		this.port = this.server.port();
	}

	String url() {
		return "http://127.0.0.1:" + this.port + "/kite";
	}

	@Override
	public void close() throws Exception {
		this.server.close();
		this.scheduler.shutdown();
		this.executor.shutdownNow();
	}

}
