package dev.kite.benchmarks.load;

import dev.kite.benchmarks.LoopbackTomcat;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The ceiling: the same stack as our kite endpoint (embedded Tomcat, Spring MVC's
 * {@code DispatcherServlet}, Spring's WebSocket and SockJS support at {@code /kite}, the
 * raw WebSocket at {@code /kite/websocket}) with no kite work: each incoming message is
 * answered with a pre-built reply ({@code {"method":K,"arguments":[{"error":null,
 * "result":16}],"callbacks":{}}}) carrying the request's callback id {@code K}, found by
 * a scan, so that the generator's matching works. What it measures is the most any kite
 * on this stack can do.
 *
 * <p>
 * Threads: Tomcat's threads run the handler; Spring serialises each session's sends.
 * Created and closed by one thread.
 */
public final class CeilingServer implements AutoCloseable {

	private static final String CALLBACKS = "\"callbacks\":{\"";

	/** Pre-built replies for the callback ids a generator uses (its slots). */
	private static final TextMessage[] replies = new TextMessage[1024];

	static {
		for (int id = 0; id < replies.length; id++) {
			replies[id] = reply(id);
		}
	}

	private final LoopbackTomcat server;

	private final AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();

	private final int port;

	/**
	 * Starts the server on a loopback ephemeral port.
	 * @throws Exception when Tomcat cannot start
	 */
	public CeilingServer() throws Exception {
		this.context.register(WebSocketConfig.class);
		this.server = LoopbackTomcat.start("ceiling", this.context);
		this.port = this.server.port();
	}

	/** The SockJS base URL, {@code http://127.0.0.1:PORT/kite}. */
	public String url() {
		return "http://127.0.0.1:" + this.port + "/kite";
	}

	@Override
	public void close() throws Exception {
		this.server.close();
	}

	private static TextMessage reply(int id) {
		return new TextMessage(
				"{\"method\":" + id + ",\"arguments\":[{\"error\":null,\"result\":16}],\"callbacks\":{}}");
	}

	/**
	 * The reply to one request: the callback id is the first key of its
	 * {@code callbacks}.
	 * @param request the dnode request
	 * @return the reply
	 */
	static TextMessage replyTo(String request) {
		int callbacks = request.indexOf(CALLBACKS);
		int id = 0;
		if (callbacks >= 0) {
			for (int i = callbacks + CALLBACKS.length(); i < request.length()
					&& Character.isDigit(request.charAt(i)); i++) {
				id = id * 10 + (request.charAt(i) - '0');
			}
		}
		return (id < replies.length) ? replies[id] : reply(id);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSocket
	static class WebSocketConfig implements WebSocketConfigurer {

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(new CeilingHandler(), "/kite").setAllowedOriginPatterns("*").withSockJS();
		}

	}

	/** Answers each message with the pre-built reply for its callback id. */
	static final class CeilingHandler extends TextWebSocketHandler {

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			session.sendMessage(replyTo(message.getPayload()));
		}

	}

}
