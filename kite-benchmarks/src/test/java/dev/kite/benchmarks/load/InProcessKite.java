package dev.kite.benchmarks.load;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.dnode.DnodeModule;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteWebSocketLimits;
import dev.kite.server.websocket.KiteEndpointRegistrar;
import dev.kite.server.websocket.KiteEndpointSettings;
import dev.kite.server.websocket.KiteWebSocketHandler;
import org.apache.catalina.Context;
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
 * Our kite endpoint in the test JVM, on embedded Tomcat at a loopback ephemeral port (the
 * production {@link KiteEndpointRegistrar}, SockJS, raw WebSocket and XHR), serving
 * {@code square(n)}, {@code fail()} (always an error) and {@code never()} (never
 * answers).
 */
final class InProcessKite implements AutoCloseable {

	private final Tomcat tomcat = new Tomcat();

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
		File base = Files.createTempDirectory("kite-benchmarks-test").toFile();
		base.deleteOnExit();
		this.tomcat.setBaseDir(base.getAbsolutePath());
		this.tomcat.setPort(0);
		this.tomcat.getConnector().setProperty("address", "127.0.0.1");
		Context webapp = this.tomcat.addContext("", base.getAbsolutePath());
		webapp.addServletContainerInitializer(new WsSci(), null);
		Wrapper servlet = Tomcat.addServlet(webapp, "dispatcher", new DispatcherServlet(this.context));
		servlet.setAsyncSupported(true);
		servlet.setLoadOnStartup(1);
		webapp.addServletMappingDecoded("/", "dispatcher");
		this.tomcat.start();
		this.port = this.tomcat.getConnector().getLocalPort();
	}

	String url() {
		return "http://127.0.0.1:" + this.port + "/kite";
	}

	@Override
	public void close() throws Exception {
		this.tomcat.stop();
		this.tomcat.destroy();
		this.context.close();
		this.scheduler.shutdown();
		this.executor.shutdownNow();
	}

}
