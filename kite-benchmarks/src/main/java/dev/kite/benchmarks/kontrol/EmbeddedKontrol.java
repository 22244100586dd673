package dev.kite.benchmarks.kontrol;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.ExecutorService;

import dev.kite.dnode.DnodeModule;
import dev.kite.kontrol.Kontrol;
import dev.kite.kontrol.KontrolKeys;
import dev.kite.kontrol.KontrolSettings;
import dev.kite.kontrol.store.KeyPairStore;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.rpc.KiteDispatcher;
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

/**
 * A real {@link Kontrol} (Go's default settings, a fresh self key pair) served on
 * embedded Tomcat at {@code http://127.0.0.1:<ephemeral port>/kite} through the
 * production {@link KiteEndpointRegistrar}: its own {@link KiteMethodRegistry} with the
 * built-ins and Kontrol's methods, and a {@link KiteDispatcher} that authenticates with
 * Kontrol's providers — the wiring of kite-kontrol's end-to-end test.
 *
 * <p>
 * Threads: Tomcat's acceptor and pollers read the sockets; handlers run on the given
 * executor, heartbeat watchdogs and the expiry cleaner on the given scheduler. Created
 * and closed by one thread.
 */
final class EmbeddedKontrol implements AutoCloseable {

	private final Kontrol kontrol;

	private final Tomcat tomcat = new Tomcat();

	private final AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();

	private final int port;

	EmbeddedKontrol(KiteStore store, KeyPairStore keyPairStore, ExecutorService executor,
			ThreadPoolTaskScheduler scheduler) throws Exception {
		KontrolSettings settings = KontrolSettings.builder("kontrol", scheduler).build();
		this.kontrol = new Kontrol(settings, store, keyPairStore, KontrolKeys.generate());
		this.kontrol.start();
		KiteDispatcher dispatcher = this.kontrol.newDispatcher(this.kontrol.newMethodRegistry(), executor);
		KiteWebSocketHandler handler = new KiteWebSocketHandler(dispatcher, DnodeModule.newMapper(), executor,
				KiteWebSocketLimits.defaults());
		KiteEndpointRegistrar endpoint = new KiteEndpointRegistrar(handler, KiteEndpointSettings.builder().build(),
				scheduler, List.of());
		this.context.addBeanFactoryPostProcessor(
				(beanFactory) -> ((BeanDefinitionRegistry) beanFactory).registerBeanDefinition("kiteEndpoint",
						BeanDefinitionBuilder
							.genericBeanDefinition(WebSocketHandlerMapping.class, endpoint::handlerMapping)
							.getBeanDefinition()));
		File base = Files.createTempDirectory("kite-benchmarks-tomcat").toFile();
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
		try {
			this.tomcat.start();
		}
		catch (Exception ex) {
			close();
			throw ex;
		}
		this.port = this.tomcat.getConnector().getLocalPort();
	}

	Kontrol kontrol() {
		return this.kontrol;
	}

	/** Kontrol's SockJS base URL. */
	String url() {
		return "http://127.0.0.1:" + this.port + "/kite";
	}

	@Override
	public void close() throws Exception {
		this.kontrol.close();
		this.tomcat.stop();
		this.tomcat.destroy();
		this.context.close();
	}

}
