package dev.kite.client;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;

/**
 * A WebSocket client whose dials hang until the test {@link Dial#open() opens} or
 * {@link Dial#fail() fails} them, as a kite that accepts the TCP connection and does not
 * answer yet.
 */
final class HeldWebSocketClient implements WebSocketClient {

	final BlockingQueue<Dial> dials = new LinkedBlockingQueue<>();

	@Override
	public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, String uriTemplate,
			Object... uriVariables) {
		return execute(handler, null, URI.create(uriTemplate));
	}

	@Override
	public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, WebSocketHttpHeaders headers,
			URI uri) {
		Dial dial = new Dial(handler, uri);
		this.dials.add(dial);
		return dial.result;
	}

	Dial nextDial() throws InterruptedException {
		Dial dial = this.dials.poll(5, TimeUnit.SECONDS);
		if (dial == null) {
			throw new AssertionError("Nothing was dialed");
		}
		return dial;
	}

	static final class Dial {

		final CompletableFuture<WebSocketSession> result = new CompletableFuture<>();

		private final WebSocketHandler handler;

		private final URI uri;

		Dial(WebSocketHandler handler, URI uri) {
			this.handler = handler;
			this.uri = uri;
		}

		FakeWebSocketClient.FakeSession open() throws Exception {
			FakeWebSocketClient.FakeSession session = new FakeWebSocketClient.FakeSession(this.handler, this.uri);
			this.handler.afterConnectionEstablished(session);
			this.result.complete(session);
			return session;
		}

		void fail() {
			this.result.completeExceptionally(new java.net.ConnectException("Connection refused"));
		}

	}

}
