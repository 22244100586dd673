package dev.kite.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;

/**
 * A WebSocket client whose connections open at once and go nowhere: the test reads what
 * the kite client sent and plays the peer by hand. For raw WebSocket URLs only (SockJS
 * dials use HTTP first).
 */
final class FakeWebSocketClient implements WebSocketClient {

	final BlockingQueue<FakeSession> sessions = new LinkedBlockingQueue<>();

	@Override
	public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, String uriTemplate,
			Object... uriVariables) {
		return execute(handler, null, URI.create(uriTemplate));
	}

	@Override
	public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, WebSocketHttpHeaders headers,
			URI uri) {
		FakeSession session = new FakeSession(handler, uri);
		try {
			handler.afterConnectionEstablished(session);
		}
		catch (Exception ex) {
			return CompletableFuture.failedFuture(ex);
		}
		this.sessions.add(session);
		return CompletableFuture.completedFuture(session);
	}

	FakeSession nextSession() throws InterruptedException {
		FakeSession session = this.sessions.poll(5, TimeUnit.SECONDS);
		if (session == null) {
			throw new AssertionError("No connection was opened");
		}
		return session;
	}

	static final class FakeSession implements WebSocketSession {

		final BlockingQueue<String> sent = new LinkedBlockingQueue<>();

		private final WebSocketHandler handler;

		private final URI uri;

		private final Map<String, Object> attributes = new ConcurrentHashMap<>();

		private volatile boolean open = true;

		FakeSession(WebSocketHandler handler, URI uri) {
			this.handler = handler;
			this.uri = uri;
		}

		/** The next message the client sent. */
		String nextSent() throws InterruptedException {
			String text = this.sent.poll(5, TimeUnit.SECONDS);
			if (text == null) {
				throw new AssertionError("The client sent nothing");
			}
			return text;
		}

		/** Delivers a message from the peer. */
		void deliver(String text) throws Exception {
			this.handler.handleMessage(this, new TextMessage(text));
		}

		/** The peer drops the connection. */
		void drop() throws Exception {
			this.open = false;
			this.handler.afterConnectionClosed(this, CloseStatus.SESSION_NOT_RELIABLE);
		}

		@Override
		public String getId() {
			return "fake-" + System.identityHashCode(this);
		}

		@Override
		public URI getUri() {
			return this.uri;
		}

		@Override
		public HttpHeaders getHandshakeHeaders() {
			return new HttpHeaders();
		}

		@Override
		public Map<String, Object> getAttributes() {
			return this.attributes;
		}

		@Override
		public Principal getPrincipal() {
			return null;
		}

		@Override
		public InetSocketAddress getLocalAddress() {
			return null;
		}

		@Override
		public InetSocketAddress getRemoteAddress() {
			return null;
		}

		@Override
		public String getAcceptedProtocol() {
			return null;
		}

		@Override
		public void setTextMessageSizeLimit(int messageSizeLimit) {
		}

		@Override
		public int getTextMessageSizeLimit() {
			return Integer.MAX_VALUE;
		}

		@Override
		public void setBinaryMessageSizeLimit(int messageSizeLimit) {
		}

		@Override
		public int getBinaryMessageSizeLimit() {
			return Integer.MAX_VALUE;
		}

		@Override
		public List<WebSocketExtension> getExtensions() {
			return List.of();
		}

		@Override
		public void sendMessage(WebSocketMessage<?> message) {
			this.sent.add(((TextMessage) message).getPayload());
		}

		@Override
		public boolean isOpen() {
			return this.open;
		}

		@Override
		public void close() throws java.io.IOException {
			close(CloseStatus.NORMAL);
		}

		@Override
		public void close(CloseStatus status) {
			if (this.open) {
				this.open = false;
				try {
					this.handler.afterConnectionClosed(this, status);
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
		}

	}

}
