package dev.kite.benchmarks;

import java.io.File;
import java.nio.file.Files;
import java.util.function.Consumer;

import jakarta.servlet.ServletContext;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * An embedded Tomcat on a loopback ephemeral port serving one Spring MVC application
 * context through a {@link DispatcherServlet} at {@code /}, with JSR-356 WebSocket
 * support: the server the benchmarks' in-process targets (ceiling, fuzz, connections,
 * client, Kontrol) run on, without Spring Boot, so that what they measure is the stack
 * and nothing else.
 *
 * <p>
 * Threads: started and closed by its owner's thread; Tomcat's threads serve requests.
 */
public final class LoopbackTomcat implements AutoCloseable {

	private final Tomcat tomcat;

	private final Context webapp;

	private final AnnotationConfigWebApplicationContext context;

	private LoopbackTomcat(Tomcat tomcat, Context webapp, AnnotationConfigWebApplicationContext context) {
		this.tomcat = tomcat;
		this.webapp = webapp;
		this.context = context;
	}

	/**
	 * Starts Tomcat on {@code 127.0.0.1} at an ephemeral port, the dispatcher servlet
	 * refreshing {@code context} (configured but not refreshed yet) as it starts.
	 * @param name names the temporary base directory
	 * @param context the application's context; closed with this server
	 * @param connector adjusts the connector before the start (limits, buffers)
	 * @return the running server
	 * @throws Exception when Tomcat cannot start (everything started is stopped again)
	 */
	public static LoopbackTomcat start(String name, AnnotationConfigWebApplicationContext context,
			Consumer<Connector> connector) throws Exception {
		File base = Files.createTempDirectory("kite-benchmarks-" + name).toFile();
		base.deleteOnExit();
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(base.getAbsolutePath());
		tomcat.setPort(0);
		tomcat.getConnector().setProperty("address", "127.0.0.1");
		connector.accept(tomcat.getConnector());
		Context webapp = tomcat.addContext("", base.getAbsolutePath());
		webapp.addServletContainerInitializer(new WsSci(), null);
		Wrapper servlet = Tomcat.addServlet(webapp, "dispatcher", new DispatcherServlet(context));
		servlet.setAsyncSupported(true);
		servlet.setLoadOnStartup(1);
		webapp.addServletMappingDecoded("/", "dispatcher");
		LoopbackTomcat server = new LoopbackTomcat(tomcat, webapp, context);
		try {
			tomcat.start();
		}
		catch (Exception ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	/**
	 * Starts Tomcat as
	 * {@link #start(String, AnnotationConfigWebApplicationContext, Consumer)} with its
	 * default connector settings.
	 * @param name names the temporary base directory
	 * @param context the application's context; closed with this server
	 * @return the running server
	 * @throws Exception when Tomcat cannot start
	 */
	public static LoopbackTomcat start(String name, AnnotationConfigWebApplicationContext context) throws Exception {
		return start(name, context, (connector) -> {
		});
	}

	/** The port Tomcat listens on. */
	public int port() {
		return this.tomcat.getConnector().getLocalPort();
	}

	/** The web application's servlet context. */
	public ServletContext servletContext() {
		return this.webapp.getServletContext();
	}

	/** Stops Tomcat, then closes the application context. */
	@Override
	public void close() throws Exception {
		try {
			this.tomcat.stop();
			this.tomcat.destroy();
		}
		finally {
			this.context.close();
		}
	}

}
