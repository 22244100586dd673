package dev.kite.server.websocket;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.net.URI;
import java.util.Map;

import dev.kite.protocol.LogSafe;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpAsyncRequestControl;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.sockjs.SockJsException;
import org.springframework.web.socket.sockjs.SockJsTransportFailureException;
import org.springframework.web.socket.sockjs.transport.handler.XhrReceivingTransportHandler;
import org.springframework.web.socket.sockjs.transport.session.AbstractHttpSockJsSession;

/**
 * SockJS {@code xhr_send} with a bounded body. Spring's handler decodes the whole body
 * before the kite handler can check a message's size, so a large post is held in memory
 * in full. Here a body declared larger than the limit is refused at once, and any other
 * body is read only up to the limit: one byte more also answers
 * {@code 413 Payload Too Large}. Either way the session is closed with 1009, as an
 * oversized WebSocket message would be, since the calls in that body are lost.
 *
 * <p>
 * Threads: runs on the servlet container's request thread; holds at most
 * {@code limit + 1} bytes of one request.
 */
final class BoundedXhrReceivingTransportHandler extends XhrReceivingTransportHandler {

	private static final Logger logger = LoggerFactory.getLogger(BoundedXhrReceivingTransportHandler.class);

	private final int limit;

	/**
	 * @param limit the largest accepted body, in bytes
	 */
	BoundedXhrReceivingTransportHandler(int limit) {
		this.limit = limit;
	}

	@Override
	protected void handleRequestInternal(ServerHttpRequest request, ServerHttpResponse response,
			WebSocketHandler wsHandler, AbstractHttpSockJsSession sockJsSession) throws SockJsException {
		byte[] body;
		try {
			long declared = request.getHeaders().getContentLength();
			body = (declared > this.limit) ? null : read(request.getBody());
		}
		catch (IOException ex) {
			throw new SockJsTransportFailureException("Failed to read the xhr_send body", sockJsSession.getId(), ex);
		}
		if (body == null) {
			refuse(response, sockJsSession);
			return;
		}
		super.handleRequestInternal(new BufferedRequest(request, body), response, wsHandler, sockJsSession);
	}

	/**
	 * Reads at most {@code limit + 1} bytes; {@code null} when there are more than
	 * {@code limit}.
	 */
	private byte @Nullable [] read(InputStream in) throws IOException {
		byte[] bytes = in.readNBytes(this.limit + 1);
		return (bytes.length > this.limit) ? null : bytes;
	}

	private void refuse(ServerHttpResponse response, AbstractHttpSockJsSession sockJsSession) {
		logger.warn("Closing kite session {}: an xhr_send body exceeds the limit of {} bytes",
				LogSafe.of(sockJsSession.getId()), this.limit);
		response.setStatusCode(HttpStatus.CONTENT_TOO_LARGE);
		response.getHeaders().setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));
		try {
			response.getBody()
				.write(("Payload too large: the limit is " + this.limit + " bytes.").getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			logger.debug("Writing the 413 response failed: {}", LogSafe.of(ex.getMessage()));
		}
		try {
			sockJsSession.close(CloseStatus.TOO_BIG_TO_PROCESS.withReason("Message too big"));
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Closing kite session {} failed", LogSafe.of(sockJsSession.getId()), ex);
		}
	}

	/** The request with its body already read. */
	private static final class BufferedRequest implements ServerHttpRequest {

		private final ServerHttpRequest delegate;

		private final byte[] body;

		BufferedRequest(ServerHttpRequest delegate, byte[] body) {
			this.delegate = delegate;
			this.body = body;
		}

		@Override
		public InputStream getBody() {
			return new ByteArrayInputStream(this.body);
		}

		@Override
		public HttpMethod getMethod() {
			return this.delegate.getMethod();
		}

		@Override
		public URI getURI() {
			return this.delegate.getURI();
		}

		@Override
		public Map<String, Object> getAttributes() {
			return this.delegate.getAttributes();
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.delegate.getHeaders();
		}

		@Override
		public @Nullable Principal getPrincipal() {
			return this.delegate.getPrincipal();
		}

		@Override
		public InetSocketAddress getLocalAddress() {
			return this.delegate.getLocalAddress();
		}

		@Override
		public InetSocketAddress getRemoteAddress() {
			return this.delegate.getRemoteAddress();
		}

		@Override
		public ServerHttpAsyncRequestControl getAsyncRequestControl(ServerHttpResponse response) {
			return this.delegate.getAsyncRequestControl(response);
		}

	}

}
