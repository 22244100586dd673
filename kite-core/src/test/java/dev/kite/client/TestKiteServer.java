package dev.kite.client;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.dnode.DnodeModule;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodHandler;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.server.websocket.KiteWebSocketHandler;
import dev.kite.rpc.KiteWebSocketLimits;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.apache.tomcat.websocket.server.WsSci;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real kite server for end-to-end tests: embedded Tomcat, Spring MVC's DispatcherServlet, and our
 * {@link KiteWebSocketHandler} behind Spring's SockJS service at {@code /kite} (SockJS WebSocket,
 * XHR, and the raw {@code /kite/websocket}). Authentication is disabled; methods are lambdas.
 */
final class TestKiteServer implements AutoCloseable {

	private final Tomcat tomcat;

	private final AnnotationConfigWebApplicationContext context;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	final KiteMethodRegistry registry;

	private final int port;

	private boolean closed;

	private final String scheme;

	private TestKiteServer(KiteMethodRegistry registry, int port, boolean webSocketEnabled) throws Exception {
		this(registry, port, webSocketEnabled, null);
	}

	private TestKiteServer(KiteMethodRegistry registry, int port, boolean webSocketEnabled, Path keyStore)
			throws Exception {
		this.scheme = (keyStore != null) ? "https" : "http";
		this.registry = registry;
		ObjectMapper mapper = JsonMapper.builder().addModule(new DnodeModule()).build();
		KiteDispatcher dispatcher = new KiteDispatcher(registry, new KiteAuthenticationManager(List.of()), List.of(),
				List.of(), this.executor, false);
		KiteWebSocketHandler handler = new KiteWebSocketHandler(dispatcher, mapper, this.executor,
				KiteWebSocketLimits.defaults());
		this.context = new AnnotationConfigWebApplicationContext();
		this.context.register(SockJsConfig.class);
		this.context.addBeanFactoryPostProcessor((beanFactory) -> {
			beanFactory.registerSingleton("kiteHandler", handler);
			beanFactory.registerSingleton("settings", new Settings(webSocketEnabled));
		});

		this.tomcat = new Tomcat();
		File base = Files.createTempDirectory("kite-tomcat").toFile();
		this.tomcat.setBaseDir(base.getAbsolutePath());
		this.tomcat.setPort(port);
		if (keyStore != null) {
			Connector connector = new Connector();
			connector.setPort(port);
			connector.setScheme("https");
			connector.setSecure(true);
			connector.setProperty("SSLEnabled", "true");
			SSLHostConfig ssl = new SSLHostConfig();
			SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.RSA);
			certificate.setCertificateKeystoreFile(keyStore.toString());
			certificate.setCertificateKeystorePassword(KEY_STORE_PASSWORD);
			certificate.setCertificateKeystoreType("PKCS12");
			certificate.setCertificateKeyAlias("kite");
			ssl.addCertificate(certificate);
			connector.addSslHostConfig(ssl);
			this.tomcat.setConnector(connector);
		}
		else {
			this.tomcat.getConnector();
		}
		Context webapp = this.tomcat.addContext("", base.getAbsolutePath());
		webapp.addServletContainerInitializer(new WsSci(), null);
		FilterDef filter = new FilterDef();
		filter.setFilterName("portAgnosticRemoteAddress");
		filter.setFilter(new PortAgnosticRemoteAddressFilter());
		webapp.addFilterDef(filter);
		FilterMap filterMap = new FilterMap();
		filterMap.setFilterName("portAgnosticRemoteAddress");
		filterMap.addURLPattern("/*");
		webapp.addFilterMap(filterMap);
		Wrapper servlet = Tomcat.addServlet(webapp, "dispatcher", new DispatcherServlet(this.context));
		servlet.setAsyncSupported(true);
		servlet.setLoadOnStartup(1);
		webapp.addServletMappingDecoded("/", "dispatcher");
		this.tomcat.start();
		this.port = this.tomcat.getConnector().getLocalPort();
	}

	/** Starts a server on a random port with the given methods. */
	static TestKiteServer start(KiteMethodRegistry registry) throws Exception {
		return new TestKiteServer(registry, 0, true);
	}

	static final String KEY_STORE_PASSWORD = "changeit";

	/**
	 * Starts an HTTPS server.
	 * @param keyStore a PKCS#12 key store holding the server's key and certificate under alias {@code kite}
	 */
	static TestKiteServer startTls(KiteMethodRegistry registry, Path keyStore) throws Exception {
		return new TestKiteServer(registry, 0, true, keyStore);
	}

	/** Starts a server whose SockJS service has its WebSocket transports switched off. */
	static TestKiteServer startWithoutWebSocket(KiteMethodRegistry registry) throws Exception {
		return new TestKiteServer(registry, 0, false);
	}

	/** Starts a server on a given port (to come back where a stopped one was). */
	static TestKiteServer start(KiteMethodRegistry registry, int port) throws Exception {
		return new TestKiteServer(registry, port, true);
	}

	static KiteMethodRegistry registry() {
		return new KiteMethodRegistry();
	}

	static void method(KiteMethodRegistry registry, String name, KiteMethodHandler handler) {
		registry.register(new KiteMethodDefinition(name, handler, false, "test"));
	}

	int port() {
		return this.port;
	}

	/** The SockJS base URL, {@code http://127.0.0.1:port/kite}. */
	String url() {
		return this.scheme + "://127.0.0.1:" + this.port + "/kite";
	}

	@Override
	public synchronized void close() throws LifecycleException {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.tomcat.stop();
		this.tomcat.destroy();
		this.context.close();
		this.executor.shutdownNow();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSocket
	static class SockJsConfig implements WebSocketConfigurer {

		private final KiteWebSocketHandler handler;

		private final Settings settings;

		SockJsConfig(KiteWebSocketHandler handler, Settings settings) {
			this.handler = handler;
			this.settings = settings;
		}

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(this.handler, "/kite").withSockJS().setWebSocketEnabled(this.settings.webSocketEnabled());
		}

	}

	record Settings(boolean webSocketEnabled) {
	}

	/**
	 * Spring Framework 7.0.8 binds an anonymous SockJS HTTP session to the full remote
	 * {@code InetSocketAddress} of the request that opened it, port included, so every
	 * {@code xhr_send} (which a client sends on a second TCP connection while its poll is pending)
	 * gets 404 (spring-projects/spring-framework#36904, fixed in 7.0.9 by comparing addresses only).
	 * This filter reports port 0 on XHR requests, which is what the 7.0.9 check amounts to.
	 */
	static final class PortAgnosticRemoteAddressFilter implements Filter {

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			if (request instanceof HttpServletRequest http
					&& (http.getRequestURI().endsWith("/xhr") || http.getRequestURI().endsWith("/xhr_send"))) {
				request = new HttpServletRequestWrapper(http) {
					@Override
					public int getRemotePort() {
						return 0;
					}
				};
			}
			chain.doFilter(request, response);
		}

	}

}
