package dev.kite.kontrol;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.kite.dnode.DnodeModule;
import dev.kite.rpc.KiteDispatcher;
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
 * A kite endpoint on embedded Tomcat (ephemeral port) behind the production
 * {@link KiteEndpointRegistrar}, serving whatever the given dispatcher serves.
 * kite-core's own test server is in its test sources, which this module does not share.
 */
final class EmbeddedKiteServer implements AutoCloseable {

	private final Tomcat tomcat = new Tomcat();

	private final AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();

	private final int port;

	EmbeddedKiteServer(KiteDispatcher dispatcher, ExecutorService executor, ThreadPoolTaskScheduler scheduler)
			throws Exception {
		KiteWebSocketHandler handler = new KiteWebSocketHandler(dispatcher,
				JsonMapper.builder().addModule(new DnodeModule()).build(), executor, KiteWebSocketLimits.defaults());
		KiteEndpointRegistrar endpoint = new KiteEndpointRegistrar(handler, KiteEndpointSettings.builder().build(),
				scheduler, List.of());
		this.context.addBeanFactoryPostProcessor(
				(beanFactory) -> ((BeanDefinitionRegistry) beanFactory).registerBeanDefinition("kiteEndpoint",
						BeanDefinitionBuilder
							.genericBeanDefinition(WebSocketHandlerMapping.class, endpoint::handlerMapping)
							.getBeanDefinition()));
		File base = Files.createTempDirectory("kontrol-tomcat").toFile();
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

	/** The SockJS base URL. */
	String url() {
		return "http://127.0.0.1:" + this.port + "/kite";
	}

	@Override
	public void close() throws Exception {
		this.tomcat.stop();
		this.tomcat.destroy();
		this.context.close();
	}

	static ExecutorService executor() {
		return Executors.newCachedThreadPool();
	}

}
