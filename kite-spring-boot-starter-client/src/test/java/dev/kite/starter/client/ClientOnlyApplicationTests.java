package dev.kite.starter.client;

import java.io.File;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.client.KiteConnection;
import dev.kite.dnode.DnodeModule;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteWebSocketLimits;
import dev.kite.server.websocket.KiteWebSocketHandler;
import jakarta.servlet.http.HttpServlet;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.socket.adapter.standard.StandardWebSocketHandlerAdapter;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with only the client starter on its classpath starts no web server (and
 * serves no kite methods), and still calls a kite.
 *
 * <p>
 * The kite it calls is this project's own server side ({@link KiteDispatcher} and
 * {@link KiteWebSocketHandler}) on an embedded Tomcat on an ephemeral port, reached over
 * the raw WebSocket transport: Spring's SockJS service would need Spring MVC, whose Boot
 * starter on this test classpath would turn the client app into a web server and defeat
 * the test.
 */
class ClientOnlyApplicationTests {

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private Tomcat tomcat;

	private int port;

	@BeforeEach
	void startKite() throws Exception {
		KiteMethodRegistry registry = new KiteMethodRegistry();
		registry.register(new KiteMethodDefinition("square", (invocation) -> {
			double n = invocation.argument(0).asDouble();
			return n * n;
		}, false, "test"));
		KiteDispatcher dispatcher = new KiteDispatcher(registry, new KiteAuthenticationManager(List.of()), List.of(),
				List.of(), this.executor, false);
		KiteWebSocketHandler handler = new KiteWebSocketHandler(dispatcher,
				JsonMapper.builder().addModule(new DnodeModule()).build(), this.executor,
				KiteWebSocketLimits.defaults());
		ServerEndpointConfig endpoint = ServerEndpointConfig.Builder.create(Endpoint.class, "/kite/websocket")
			.configurator(new ServerEndpointConfig.Configurator() {

				@Override
				public <T> T getEndpointInstance(Class<T> endpointClass) {
					return endpointClass.cast(new StandardWebSocketHandlerAdapter(handler,
							new StandardWebSocketSession(new HttpHeaders(), new HashMap<>(), null, null)));
				}

			})
			.build();
		this.tomcat = new Tomcat();
		File base = Files.createTempDirectory("kite-tomcat").toFile();
		this.tomcat.setBaseDir(base.getAbsolutePath());
		this.tomcat.setPort(0);
		this.tomcat.getConnector();
		Context webapp = this.tomcat.addContext("", base.getAbsolutePath());
		webapp.addServletContainerInitializer(new WsSci(), null);
		webapp.addServletContainerInitializer((classes, servletContext) -> {
			try {
				((ServerContainer) servletContext.getAttribute(ServerContainer.class.getName())).addEndpoint(endpoint);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}, null);
		// Tomcat maps a request to a servlet before its filters (the WebSocket upgrade
		// filter) run.
		Tomcat.addServlet(webapp, "none", new HttpServlet() {
		});
		webapp.addServletMappingDecoded("/", "none");
		this.tomcat.start();
		this.port = this.tomcat.getConnector().getLocalPort();
	}

	@AfterEach
	void stopKite() throws Exception {
		this.tomcat.stop();
		this.tomcat.destroy();
		this.executor.shutdownNow();
	}

	@Test
	void startsNoWebServerAndCallsAKite() {
		assertThat(ClassUtils.isPresent("org.springframework.boot.web.server.WebServer", null))
			.as("Boot's web server support must not come with the client starter")
			.isFalse();
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ClientApplication.class)
			.properties("spring.main.banner-mode=off", "kite.name=caller",
					"kite.clients.math.url=ws://127.0.0.1:" + this.port + "/kite/websocket",
					"kite.clients.math.transport=raw-websocket", "kite.clients.math.reconnect=false")
			.run()) {
			assertThat(app).isNotInstanceOf(WebApplicationContext.class);
			assertThat(app.getBeanNamesForType(KiteDispatcher.class)).isEmpty();
			assertThat(app.getBeanNamesForType(KiteWebSocketHandler.class)).isEmpty();
			KiteConnection math = app.getBean(ClientApplication.class).math;
			assertThat(math.call("square", Double.class, 4).join()).isEqualTo(16.0);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ClientApplication {

		final KiteConnection math;

		ClientApplication(@Qualifier("math") KiteConnection math) {
			this.math = math;
		}

	}

}
