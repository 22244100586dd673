package dev.kite.kontrol;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.ExecutorService;

import dev.kite.dnode.DnodeModule;
import dev.kite.kontrol.store.KeyPairStore;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteWebSocketLimits;
import dev.kite.server.websocket.KiteEndpointRegistrar;
import dev.kite.server.websocket.KiteEndpointSettings;
import dev.kite.server.websocket.KiteWebSocketHandler;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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
 * A whole Kontrol served on embedded Tomcat as a deployment serves it: its kite endpoint
 * under {@code /kite} (the production {@link KiteEndpointRegistrar}) and its HTTP
 * endpoints {@code POST /register} and {@code GET /heartbeat} (a servlet writing
 * {@link KontrolHttpEndpoints}' answers as they are, like the auto-configuration's
 * handler). The port is ephemeral unless given, so a test can stop Kontrol and start a
 * new one on the same port (a Kontrol restart).
 */
final class ServedKontrol implements AutoCloseable {

	final Kontrol kontrol;

	private final Tomcat tomcat = new Tomcat();

	private final AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();

	private final int port;

	/**
	 * @param port the port, or 0 for an ephemeral one
	 */
	ServedKontrol(KiteStore store, KeyPairStore keyPairs, ExecutorService executor, ThreadPoolTaskScheduler scheduler,
			int port) throws Exception {
		KontrolSettings settings = KontrolSettings.builder("kontrol", scheduler).build();
		this.kontrol = new Kontrol(settings, store, keyPairs, KontrolFixture.SELF);
		this.kontrol.start();
		KiteDispatcher dispatcher = this.kontrol.newDispatcher(this.kontrol.newMethodRegistry(), executor);
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
		this.tomcat.setPort(port);
		this.tomcat.getConnector();
		Context webapp = this.tomcat.addContext("", base.getAbsolutePath());
		webapp.addServletContainerInitializer(new WsSci(), null);
		Wrapper servlet = Tomcat.addServlet(webapp, "dispatcher", new DispatcherServlet(this.context));
		servlet.setAsyncSupported(true);
		servlet.setLoadOnStartup(1);
		webapp.addServletMappingDecoded("/", "dispatcher");
		Tomcat.addServlet(webapp, "kontrolHttp", new HttpEndpointsServlet(this.kontrol.httpEndpoints()));
		webapp.addServletMappingDecoded("/register", "kontrolHttp");
		webapp.addServletMappingDecoded("/heartbeat", "kontrolHttp");
		this.tomcat.start();
		this.port = this.tomcat.getConnector().getLocalPort();
	}

	int port() {
		return this.port;
	}

	/** Kontrol's URL, as kites are configured with it. */
	String url() {
		return "http://127.0.0.1:" + this.port + "/kite";
	}

	/** Stops serving (connections drop) and stops Kontrol. */
	@Override
	public void close() throws Exception {
		this.tomcat.stop();
		this.tomcat.destroy();
		this.context.close();
		this.kontrol.close();
	}

	/** {@code POST /register} and {@code GET /heartbeat}, answered as they are. */
	private static final class HttpEndpointsServlet extends HttpServlet {

		private final transient KontrolHttpEndpoints endpoints;

		HttpEndpointsServlet(KontrolHttpEndpoints endpoints) {
			this.endpoints = endpoints;
		}

		@Override
		protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
			if (!request.getServletPath().equals("/register")) {
				response.sendError(405);
				return;
			}
			write(response, this.endpoints.register(request.getInputStream().readAllBytes()));
		}

		@Override
		protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
			if (!request.getServletPath().equals("/heartbeat")) {
				response.sendError(405);
				return;
			}
			write(response, this.endpoints.heartbeat(request.getParameter("id")));
		}

		private static void write(HttpServletResponse response, HttpAnswer answer) throws IOException {
			byte[] body = answer.body();
			response.setStatus(answer.status());
			response.setContentType(answer.contentType());
			response.setContentLength(body.length);
			response.getOutputStream().write(body);
		}

	}

}
