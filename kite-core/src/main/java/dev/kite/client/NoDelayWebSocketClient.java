package dev.kite.client;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.NetworkChannel;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * Turns Nagle's algorithm off ({@code TCP_NODELAY}) on the sockets of Tomcat's JSR-356
 * WebSocket client, before the session is handed on.
 *
 * <p>
 * Why: Tomcat's client writes every frame as two socket writes (header, then payload) and
 * splits a message into frames of its 8 KiB output buffer, and it opens its
 * {@code AsynchronousSocketChannel} with Nagle on and offers no property to change that.
 * A message of more than 8 KiB then waits for the server's delayed ACK before its later
 * frames leave: measured on loopback, about 45 ms per call instead of under 1 ms (a kite
 * key in the envelope plus a value of a few KiB is enough). Tomcat's server side sets
 * {@code TCP_NODELAY} already, and so does the JDK {@code HttpClient} that runs XHR
 * polling.
 *
 * <p>
 * Tomcat keeps the socket in private fields ({@code WsSession.wsRemoteEndpoint.channel
 * .socketChannel}); they are read reflectively. Another JSR-356 implementation, or a
 * Tomcat whose fields differ, is left as it is (logged once at DEBUG).
 *
 * <p>
 * Thread safety: stateless apart from the delegate; the option is set on the thread that
 * reports the open session, before the handler sees it.
 */
final class NoDelayWebSocketClient implements WebSocketClient {

	private static final Logger logger = LoggerFactory.getLogger(NoDelayWebSocketClient.class);

	private static final String[] TOMCAT_SOCKET_PATH = { "wsRemoteEndpoint", "channel", "socketChannel" };

	private static volatile boolean reportedUnsupported;

	private final WebSocketClient delegate;

	NoDelayWebSocketClient(WebSocketClient delegate) {
		this.delegate = delegate;
	}

	@Override
	public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, String uriTemplate,
			Object... uriVariables) {
		return this.delegate.execute(new NoDelayHandler(handler), uriTemplate, uriVariables);
	}

	@Override
	public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, @Nullable WebSocketHttpHeaders headers,
			URI uri) {
		return this.delegate.execute(new NoDelayHandler(handler), headers, uri);
	}

	/**
	 * Sets {@code TCP_NODELAY} on the socket under a session of Tomcat's client.
	 * @param session the open session
	 * @return whether the option was set
	 */
	static boolean enable(WebSocketSession session) {
		if (!(session instanceof NativeWebSocketSession nativeSession)) {
			return false;
		}
		Object current = nativeSession.getNativeSession();
		try {
			for (String name : TOMCAT_SOCKET_PATH) {
				if (current == null) {
					break;
				}
				current = read(current, name);
			}
			if (current instanceof NetworkChannel channel) {
				channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
				return true;
			}
			unsupported(session, "no socket channel found");
		}
		catch (ReflectiveOperationException | IOException | RuntimeException ex) {
			unsupported(session, ex.toString());
		}
		return false;
	}

	private static @Nullable Object read(Object target, String name) throws ReflectiveOperationException {
		for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
			try {
				Field field = type.getDeclaredField(name);
				field.setAccessible(true);
				return field.get(target);
			}
			catch (NoSuchFieldException ex) {
				// declared higher up
			}
		}
		throw new NoSuchFieldException(name + " in " + target.getClass().getName());
	}

	private static void unsupported(WebSocketSession session, String reason) {
		if (!reportedUnsupported) {
			reportedUnsupported = true;
			Object nativeSession = (session instanceof NativeWebSocketSession n) ? n.getNativeSession() : session;
			logger.debug("Cannot turn Nagle's algorithm off on WebSocket sessions of {}: {}",
					(nativeSession != null) ? nativeSession.getClass().getName() : "?", reason);
		}
	}

	/** Sets the option before the decorated handler learns of the session. */
	private static final class NoDelayHandler extends WebSocketHandlerDecorator {

		NoDelayHandler(WebSocketHandler delegate) {
			super(delegate);
		}

		@Override
		public void afterConnectionEstablished(WebSocketSession session) throws Exception {
			enable(session);
			super.afterConnectionEstablished(session);
		}

	}

}
