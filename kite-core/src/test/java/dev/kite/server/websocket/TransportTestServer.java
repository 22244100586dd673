package dev.kite.server.websocket;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.dnode.DnodeModule;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodHandler;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteWebSocketLimits;
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
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The production endpoint ({@link KiteEndpointRegistrar}, {@link KiteWebSocketHandler})
 * on embedded Tomcat at an ephemeral port, with the limits and settings a test chooses,
 * and methods {@code echo} (its first argument) and {@code big} (a string of the given
 * length). Authentication is off.
 */
final class TransportTestServer implements AutoCloseable {

	private final Tomcat tomcat;

	private final AnnotationConfigWebApplicationContext context;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	final KiteWebSocketHandler handler;

	final int port;

	private final KiteSockJsService sockJsService;

	TransportTestServer(KiteWebSocketLimits limits, KiteEndpointSettings settings) throws Exception {
		KiteMethodRegistry registry = new KiteMethodRegistry();
		method(registry, "echo", (invocation) -> invocation.arguments().get(0).asString());
		method(registry, "big", (invocation) -> "x".repeat(invocation.arguments().get(0).asInt()));
		ObjectMapper mapper = JsonMapper.builder().addModule(new DnodeModule()).build();
		KiteDispatcher dispatcher = new KiteDispatcher(registry, new KiteAuthenticationManager(List.of()), List.of(),
				List.of(), this.executor, false);
		this.handler = new KiteWebSocketHandler(dispatcher, mapper, this.executor, limits);
		this.scheduler.setPoolSize(2);
		this.scheduler.setThreadNamePrefix("transport-test-");
		this.scheduler.initialize();
		KiteEndpointRegistrar endpoint = new KiteEndpointRegistrar(this.handler, settings, this.scheduler, List.of());
		this.sockJsService = endpoint.sockJsService();
		this.context = new AnnotationConfigWebApplicationContext();
		this.context.addBeanFactoryPostProcessor(
				(beanFactory) -> ((BeanDefinitionRegistry) beanFactory).registerBeanDefinition("kiteEndpoint",
						BeanDefinitionBuilder
							.genericBeanDefinition(WebSocketHandlerMapping.class, endpoint::handlerMapping)
							.getBeanDefinition()));
		this.tomcat = new Tomcat();
		File base = Files.createTempDirectory("kite-transport").toFile();
		this.tomcat.setBaseDir(base.getAbsolutePath());
		this.tomcat.setPort(0);
		this.tomcat.getConnector();
		Context webapp = this.tomcat.addContext("", base.getAbsolutePath());
		webapp.addServletContainerInitializer(new WsSci(), null);
		Wrapper servlet = Tomcat.addServlet(webapp, "dispatcher", new DispatcherServlet(this.context));
		servlet.setAsyncSupported(true);
		servlet.setLoadOnStartup(1);
		webapp.addServletMappingDecoded("/", "dispatcher");
		this.tomcat.start();
		this.port = this.tomcat.getConnector().getLocalPort();
	}

	private static void method(KiteMethodRegistry registry, String name, KiteMethodHandler handler) {
		registry.register(new KiteMethodDefinition(name, handler, false, "test"));
	}

	/** A dnode call of a method with one argument, answered to callback 0. */
	KiteSockJsService sockJsService() {
		return this.sockJsService;
	}

	static String call(String method, Object argument) {
		String json = (argument instanceof String text) ? "\"" + text + "\"" : String.valueOf(argument);
		return "{\"method\":\"" + method + "\",\"arguments\":[{\"withArgs\":[" + json
				+ "],\"responseCallback\":\"[Function]\"}],\"callbacks\":{\"0\":[\"0\",\"responseCallback\"]},"
				+ "\"links\":[]}";
	}

	@Override
	public void close() throws LifecycleException {
		this.tomcat.stop();
		this.tomcat.destroy();
		this.context.close();
		this.scheduler.shutdown();
		this.executor.shutdownNow();
	}

}
