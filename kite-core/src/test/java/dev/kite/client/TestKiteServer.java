package dev.kite.client;

import java.io.File;
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
import dev.kite.server.websocket.KiteEndpointRegistrar;
import dev.kite.server.websocket.KiteEndpointSettings;
import dev.kite.server.websocket.KiteWebSocketHandler;
import dev.kite.rpc.KiteWebSocketLimits;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.websocket.server.WsSci;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real kite server for end-to-end tests: embedded Tomcat, Spring MVC's
 * DispatcherServlet, and our {@link KiteWebSocketHandler} behind the production
 * {@link KiteEndpointRegistrar} at {@code /kite} (SockJS WebSocket, XHR, and the raw
 * {@code /kite/websocket}), so client tests exercise the SockJS setup a kite application
 * serves. Authentication is disabled; methods are lambdas.
 */
final class TestKiteServer implements AutoCloseable {

	private final Tomcat tomcat;

	private final AnnotationConfigWebApplicationContext context;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

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
		this.scheduler.setThreadNamePrefix("test-sockjs-");
		this.scheduler.initialize();
		KiteEndpointRegistrar endpoint = new KiteEndpointRegistrar(handler,
				KiteEndpointSettings.builder().webSocketEnabled(webSocketEnabled).build(), this.scheduler, List.of());
		this.context = new AnnotationConfigWebApplicationContext();
		// A bean definition, not a singleton instance: the mapping needs the context's
		// callbacks.
		this.context.addBeanFactoryPostProcessor(
				(beanFactory) -> ((BeanDefinitionRegistry) beanFactory).registerBeanDefinition("kiteEndpoint",
						BeanDefinitionBuilder
							.genericBeanDefinition(WebSocketHandlerMapping.class, endpoint::handlerMapping)
							.getBeanDefinition()));

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
	 * @param keyStore a PKCS#12 key store holding the server's key and certificate under
	 * alias {@code kite}
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
		this.scheduler.shutdown();
		this.executor.shutdownNow();
	}

}
