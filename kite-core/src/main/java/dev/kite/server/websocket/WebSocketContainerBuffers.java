package dev.kite.server.websocket;

import jakarta.servlet.ServletContext;
import jakarta.websocket.WebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the servlet container's default WebSocket message buffers (JSR-356
 * {@code setDefaultMaxTextMessageBufferSize} and
 * {@code setDefaultMaxBinaryMessageBufferSize} of the
 * {@code jakarta.websocket.server.ServerContainer}) for every WebSocket endpoint of the
 * application. Tomcat allocates both buffers for each connection when its handshake
 * completes, at the container's default sizes (8 K characters and 8 KiB, 24 KiB of heap),
 * and keeps them while the connection is open; a handler can only change its own
 * connection's sizes afterwards, which Tomcat applies at the peer's next message, so a
 * connection that never sends keeps the defaults.
 *
 * <p>
 * Only for applications whose WebSocket handlers all take partial messages (as the kite
 * endpoint does) or never receive messages larger than the size: a handler that takes
 * whole messages gets a larger one closed with 1009 (too big). Tomcat also decodes text
 * through the binary buffer, so it is sized the same as the text buffer (in characters).
 *
 * <p>
 * Threads: called once, while the application starts.
 */
public final class WebSocketContainerBuffers {

	private static final Logger logger = LoggerFactory.getLogger(WebSocketContainerBuffers.class);

	/** The servlet context attribute of the JSR-356 server container. */
	static final String SERVER_CONTAINER = "jakarta.websocket.server.ServerContainer";

	private WebSocketContainerBuffers() {
	}

	/**
	 * Sets the container's default text (characters) and binary (bytes) message buffers
	 * to {@code size}.
	 * @param servletContext the application's servlet context
	 * @param size the buffer size, at least 1
	 * @return whether the container is a JSR-356 one and took the sizes (false: it has
	 * none, nothing changed)
	 */
	public static boolean apply(ServletContext servletContext, int size) {
		if (size < 1) {
			throw new IllegalArgumentException("The message buffer size must be at least 1, not " + size);
		}
		Object container = servletContext.getAttribute(SERVER_CONTAINER);
		if (!(container instanceof WebSocketContainer webSocketContainer)) {
			logger.warn("Not setting WebSocket message buffers to {}: the servlet container has no JSR-356 "
					+ "server container", size);
			return false;
		}
		webSocketContainer.setDefaultMaxTextMessageBufferSize(size);
		webSocketContainer.setDefaultMaxBinaryMessageBufferSize(size);
		logger.info("WebSocket message buffers of every endpoint of this application: {} characters (text) and "
				+ "{} bytes (binary)", size, size);
		return true;
	}

}
