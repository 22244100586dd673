package dev.kite.autoconfigure;

import java.time.Duration;

import dev.kite.rpc.KiteWebSocketLimits;
import dev.kite.server.websocket.KiteWebSocketHandler;
import jakarta.websocket.WebSocketContainer;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.websocket.WsWebSocketContainer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.mock.web.MockServletContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transport limits of {@code kite.server.*}: bound to the handler, validated, and
 * Tomcat's connection limit raised above the kite's.
 */
class KiteServerLimitsAutoConfigurationTests {

	private final WebApplicationContextRunner web = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KiteAutoConfiguration.class,
				KiteServerAutoConfiguration.class, TaskExecutionAutoConfiguration.class));

	@Test
	void limitsHaveSafeDefaultsAndBindFromProperties() {
		this.web.run((context) -> {
			KiteWebSocketLimits limits = context.getBean(KiteWebSocketHandler.class).limits();
			assertThat(limits.maxConnections()).isEqualTo(10_000);
			assertThat(limits.pingInterval()).isEqualTo(Duration.ofSeconds(25));
			assertThat(limits.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(context.getBean(KiteProperties.class).getServer().getSockjs().getHeartbeatTime())
				.isEqualTo(Duration.ofSeconds(10));
		});
		this.web
			.withPropertyValues("kite.server.max-connections=5", "kite.server.ping-interval=2s",
					"kite.server.idle-timeout=7s", "kite.server.sockjs.max-sessions-per-address=3")
			.run((context) -> {
				KiteWebSocketLimits limits = context.getBean(KiteWebSocketHandler.class).limits();
				assertThat(limits.maxConnections()).isEqualTo(5);
				assertThat(limits.pingInterval()).isEqualTo(Duration.ofSeconds(2));
				assertThat(limits.idleTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(KiteServerAutoConfiguration
					.endpointSettings(context.getBean(KiteProperties.class).getServer(), "/kite", "kite.server.path")
					.maxSessionsPerAddress()).isEqualTo(3);
			});
	}

	@Test
	void invalidLimitsFailNamingTheProperty() {
		this.web.withPropertyValues("kite.server.max-connections=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("kite.server.max-connections"));
		this.web.withPropertyValues("kite.server.ping-interval=30s", "kite.server.idle-timeout=30s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("kite.server.idle-timeout"));
		this.web.withPropertyValues("kite.server.sockjs.max-sessions-per-address=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("kite.server.sockjs.max-sessions-per-address"));
	}

	@Test
	void tomcatAcceptsMoreConnectionsThanTheKiteUnlessConfigured() {
		this.web.withPropertyValues("kite.server.max-connections=20000")
			.run((context) -> assertThat(tomcatMaxConnections(context)).isEqualTo(20_000 + 1024));
		// Boot's default (8192) is raised for the default kite limit too.
		this.web.run((context) -> assertThat(tomcatMaxConnections(context)).isEqualTo(10_000 + 1024));
		// A limit the application sets is left alone (here: the connector's own).
		this.web.withPropertyValues("server.tomcat.max-connections=500")
			.run((context) -> assertThat(tomcatMaxConnections(context)).isEqualTo(8192));
	}

	@Test
	void tomcatSocketBuffersAreTomcatsUnlessConfigured() {
		this.web.run((context) -> {
			Connector connector = customizedConnector(context);
			assertThat(connector.getProperty("socket.appReadBufSize")).hasToString("8192");
			assertThat(connector.getProperty("socket.appWriteBufSize")).hasToString("8192");
		});
		this.web.withPropertyValues("kite.server.tomcat-socket-buffer-size=2KB").run((context) -> {
			Connector connector = customizedConnector(context);
			assertThat(connector.getProperty("socket.appReadBufSize")).hasToString("2048");
			assertThat(connector.getProperty("socket.appWriteBufSize")).hasToString("2048");
		});
		this.web.withPropertyValues("kite.server.tomcat-socket-buffer-size=64B")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("kite.server.tomcat-socket-buffer-size"));
	}

	@Test
	void containerMessageBuffersAreTheContainersUnlessConfigured() {
		this.web.run((context) -> assertThat(context)
			.doesNotHaveBean(KiteServerAutoConfiguration.KiteWebSocketMessageBuffers.class));
		this.web.withPropertyValues("kite.server.websocket-message-buffer-size=1KB").run((context) -> {
			MockServletContext servletContext = new MockServletContext();
			WebSocketContainer container = new WsWebSocketContainer();
			servletContext.setAttribute("jakarta.websocket.server.ServerContainer", container);
			KiteServerAutoConfiguration.KiteWebSocketMessageBuffers buffers = context
				.getBean(KiteServerAutoConfiguration.KiteWebSocketMessageBuffers.class);
			buffers.setServletContext(servletContext);
			buffers.afterSingletonsInstantiated();
			assertThat(container.getDefaultMaxTextMessageBufferSize()).isEqualTo(1024);
			assertThat(container.getDefaultMaxBinaryMessageBufferSize()).isEqualTo(1024);
		});
		this.web.withPropertyValues("kite.server.websocket-message-buffer-size=2MB")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("kite.server.websocket-message-buffer-size"));
	}

	/**
	 * Applies the kite's customizer to a Tomcat factory with Boot's default connector.
	 */
	private static int tomcatMaxConnections(ApplicationContext context) {
		return ((AbstractProtocol<?>) customizedConnector(context).getProtocolHandler()).getMaxConnections();
	}

	/**
	 * Boot's default connector (limited to 8192 connections), customized by the kite's
	 * Tomcat customizers.
	 */
	@SuppressWarnings("unchecked")
	private static Connector customizedConnector(ApplicationContext context) {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		String[] names = context.getBeanNamesForType(ResolvableType
			.forClassWithGenerics(WebServerFactoryCustomizer.class, ConfigurableTomcatWebServerFactory.class));
		for (String name : names) {
			((WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>) context.getBean(name)).customize(factory);
		}
		Connector connector = new Connector(factory.getProtocol());
		((AbstractProtocol<?>) connector.getProtocolHandler()).setMaxConnections(8192);
		for (TomcatConnectorCustomizer customizer : factory.getConnectorCustomizers()) {
			customizer.customize(connector);
		}
		return connector;
	}

}
