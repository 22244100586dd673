package dev.kite.server.websocket;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import dev.kite.protocol.LogSafe;
import dev.kite.rpc.sockjs.KiteSockJsMessageCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.sockjs.SockJsException;
import org.springframework.web.socket.sockjs.SockJsTransportFailureException;
import org.springframework.web.socket.sockjs.frame.SockJsMessageCodec;
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
 * A body that is not a SockJS frame (a JSON array of strings) gets Spring's answer (500,
 * "Broken JSON encoding." or "Payload expected.") but only a one-line, rate-limited
 * warning ({@link TransportLog}): Spring logs each at ERROR with a stack trace, several
 * KB a request for a peer's bad input.
 *
 * <p>
 * Threads: runs on the servlet container's request thread; holds at most
 * {@code limit + 1} bytes of one request.
 */
final class BoundedXhrReceivingTransportHandler extends XhrReceivingTransportHandler {

	private static final Logger logger = LoggerFactory.getLogger(BoundedXhrReceivingTransportHandler.class);

	private final int limit;

	private final TransportLog log;

	/**
	 * @param limit the largest accepted body, in bytes
	 * @param log the endpoint's rate-limited warnings
	 */
	BoundedXhrReceivingTransportHandler(int limit, TransportLog log) {
		this.limit = limit;
		this.log = log;
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
		String @Nullable [] messages;
		try {
			messages = (body.length > 0) ? decode(body) : null;
		}
		catch (IOException | RuntimeException ex) {
			this.log.warn("Refusing an xhr_send of kite session {} from {}: not a SockJS frame ({})",
					LogSafe.of(sockJsSession.getId()), request.getRemoteAddress(),
					LogSafe.of(ex.getClass().getSimpleName()));
			readError(response, "Broken JSON encoding.");
			return;
		}
		if (messages == null) {
			readError(response, "Payload expected.");
			return;
		}
		response.setStatusCode(getResponseStatus());
		response.getHeaders().setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));
		sockJsSession.delegateMessages(messages);
	}

	private String @Nullable [] decode(byte[] body) throws IOException {
		SockJsMessageCodec codec = getServiceConfig().getMessageCodec();
		// The kite codec reads the bytes in place; any other gets the stream Spring
		// gives.
		return (codec instanceof KiteSockJsMessageCodec kite) ? kite.decode(body)
				: codec.decodeInputStream(new ByteArrayInputStream(body));
	}

	/** Spring's answer to an unreadable body. */
	private static void readError(ServerHttpResponse response, String error) {
		response.setStatusCode(HttpStatus.INTERNAL_SERVER_ERROR);
		try {
			response.getBody().write(error.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			logger.debug("Writing the 500 response failed: {}", LogSafe.of(ex.getMessage()));
		}
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
		this.log.warn("Closing kite session {}: an xhr_send body exceeds the limit of {} bytes",
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

}
