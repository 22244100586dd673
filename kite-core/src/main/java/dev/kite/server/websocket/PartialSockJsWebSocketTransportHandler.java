package dev.kite.server.websocket;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.sockjs.SockJsException;
import org.springframework.web.socket.sockjs.SockJsTransportFailureException;
import org.springframework.web.socket.sockjs.transport.SockJsServiceConfig;
import org.springframework.web.socket.sockjs.transport.SockJsSession;
import org.springframework.web.socket.sockjs.transport.handler.SockJsWebSocketHandler;
import org.springframework.web.socket.sockjs.transport.handler.WebSocketTransportHandler;
import org.springframework.web.socket.sockjs.transport.session.WebSocketServerSockJsSession;

/**
 * The SockJS WebSocket transport, taking frames in parts. Spring's own handler only takes
 * whole frames, so the container must buffer a frame as large as the largest allowed one
 * for every connection (with Tomcat, from its first message on: megabytes per peer). Here
 * the container keeps its default buffer; the parts of a larger frame are joined in a
 * buffer that grows only as far as that frame needs, up to {@code frameLimit} characters
 * (beyond it the session closes with 1009), and is dropped when the frame is complete.
 *
 * <p>
 * Threads: the container calls the handler on the connection's network thread, one part
 * at a time, so the buffer needs no lock.
 */
final class PartialSockJsWebSocketTransportHandler extends WebSocketTransportHandler {

	private final int frameLimit;

	private final long sendTimeLimitMillis;

	/**
	 * @param handshakeHandler the WebSocket handshake
	 * @param frameLimit the largest SockJS frame, in characters
	 * @param sendTimeLimitMillis the longest blocking write to the WebSocket (the
	 * container's own timeout is cut to it)
	 */
	PartialSockJsWebSocketTransportHandler(HandshakeHandler handshakeHandler, int frameLimit,
			long sendTimeLimitMillis) {
		super(handshakeHandler);
		this.frameLimit = frameLimit;
		this.sendTimeLimitMillis = sendTimeLimitMillis;
	}

	@Override
	public void handleRequest(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			SockJsSession wsSession) throws SockJsException {
		WebSocketServerSockJsSession sockJsSession = (WebSocketServerSockJsSession) wsSession;
		try {
			WebSocketHandler handler = new PartialSockJsWebSocketHandler(getServiceConfig(), wsHandler, sockJsSession,
					this.frameLimit, this.sendTimeLimitMillis);
			getHandshakeHandler().doHandshake(request, response, handler, sockJsSession.getAttributes());
		}
		catch (Exception ex) {
			sockJsSession.tryCloseWithSockJsTransportError(ex, CloseStatus.SESSION_NOT_RELIABLE);
			throw new SockJsTransportFailureException("WebSocket handshake failure", wsSession.getId(), ex);
		}
	}

	/** Joins the parts of a frame, then hands the frame to Spring's SockJS decoding. */
	static final class PartialSockJsWebSocketHandler extends SockJsWebSocketHandler {

		private final int frameLimit;

		private final long sendTimeLimitMillis;

		private @Nullable StringBuilder partial;

		PartialSockJsWebSocketHandler(SockJsServiceConfig config, WebSocketHandler handler,
				WebSocketServerSockJsSession sockJsSession, int frameLimit, long sendTimeLimitMillis) {
			super(config, handler, sockJsSession);
			this.frameLimit = frameLimit;
			this.sendTimeLimitMillis = sendTimeLimitMillis;
		}

		@Override
		public void afterConnectionEstablished(WebSocketSession wsSession) throws Exception {
			// The kite handler sees the SockJS session only: the socket's limit is set
			// here.
			KiteWebSocketHandler.limitBlockingSends(wsSession, this.sendTimeLimitMillis);
			KiteWebSocketHandler.shrinkMessageBuffers(wsSession);
			super.afterConnectionEstablished(wsSession);
		}

		@Override
		public boolean supportsPartialMessages() {
			return true;
		}

		@Override
		public void handleTextMessage(WebSocketSession wsSession, TextMessage message) throws Exception {
			String part = message.getPayload();
			StringBuilder buffer = this.partial;
			long length = (long) part.length() + ((buffer != null) ? buffer.length() : 0);
			if (length > this.frameLimit) {
				this.partial = null;
				wsSession.close(CloseStatus.TOO_BIG_TO_PROCESS.withReason("Message too big"));
				return;
			}
			if (!message.isLast()) {
				if (buffer == null) {
					buffer = new StringBuilder(part.length());
					this.partial = buffer;
				}
				buffer.append(part);
				return;
			}
			if (buffer != null) {
				this.partial = null;
				message = new TextMessage(buffer.append(part));
			}
			super.handleTextMessage(wsSession, message);
		}

	}

}
