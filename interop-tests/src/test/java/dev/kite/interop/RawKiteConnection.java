package dev.kite.interop;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A hand-driven kite peer on the raw WebSocket endpoint ({@code /kite/websocket}: one
 * bare dnode JSON object per text message), built on {@link java.net.http.WebSocket}:
 * sends any text, collects every text message received and the close code, and can make a
 * well-formed kite call.
 */
final class RawKiteConnection implements AutoCloseable {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final WebSocket socket;

	private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

	private final CompletableFuture<Close> closed = new CompletableFuture<>();

	/**
	 * Our callback ids, as a kite.js or Go client allocates them: per connection, from 0.
	 */
	private final AtomicLong nextCallbackId = new AtomicLong();

	/**
	 * How the connection ended. {@code code} is -1 when it ended without a close frame.
	 */
	record Close(int code, String reason) {
	}

	private RawKiteConnection(WebSocket.Builder builder, URI uri) {
		this.socket = builder.buildAsync(uri, new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
	}

	static RawKiteConnection open(SampleApp app) {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		return new RawKiteConnection(client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)),
				URI.create(app.rawWebSocketUrl()));
	}

	/** Sends one text message as is. */
	void sendText(String text) {
		this.socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
	}

	/** A fresh callback id for {@code responseCallback}. */
	long newCallbackId() {
		return this.nextCallbackId.getAndIncrement();
	}

	/**
	 * A well-formed kite call as kite.js sends it (string path indices), with
	 * {@code withArgs} given as JSON text.
	 */
	String callMessage(String method, String withArgsJson, long callbackId) {
		ObjectNode envelope = JSON.createObjectNode();
		ObjectNode kite = envelope.putObject("kite");
		kite.put("id", "3b7f3a52-5c2e-4bd4-9d0e-6c1f2a3b4c5d");
		kite.put("username", "anonymous");
		kite.put("environment", "interop-tests");
		kite.put("name", "raw-peer");
		kite.put("version", "1.0.0");
		kite.put("region", "local");
		kite.put("hostname", "localhost");
		envelope.set("withArgs", JSON.readTree(withArgsJson));
		envelope.put("responseCallback", "[Function]");
		return message(method, JSON.createArrayNode().add(envelope), callbackId, "0", "responseCallback");
	}

	/**
	 * A dnode message with one callback at the given path (steps written exactly as
	 * given).
	 */
	static String message(Object method, ArrayNode arguments, long callbackId, Object... path) {
		ObjectNode message = JSON.createObjectNode();
		if (method instanceof String name) {
			message.put("method", name);
		}
		else {
			message.put("method", ((Number) method).longValue());
		}
		message.set("arguments", arguments);
		ArrayNode steps = message.putObject("callbacks").putArray(Long.toString(callbackId));
		for (Object step : path) {
			if (step instanceof String key) {
				steps.add(key);
			}
			else {
				steps.add(((Number) step).intValue());
			}
		}
		message.putArray("links");
		return JSON.writeValueAsString(message);
	}

	/**
	 * Makes a call and returns the one argument of the reply ({@code {error, result}}).
	 */
	JsonNode call(String method, String withArgsJson, Duration timeout) {
		long id = newCallbackId();
		sendText(callMessage(method, withArgsJson, id));
		return awaitReply(id, timeout);
	}

	/**
	 * Waits for the call of our callback {@code id}; any other message before it fails
	 * the test (this peer never expects unsolicited messages).
	 * @return the single argument it was called with
	 */
	JsonNode awaitReply(long id, Duration timeout) {
		String text = next(timeout);
		if (text == null) {
			throw new AssertionError("No reply for callback " + id + " within " + timeout + closedNote());
		}
		JsonNode message = JSON.readTree(text);
		if (!message.path("method").isIntegralNumber() || message.get("method").asLong() != id) {
			throw new AssertionError("Expected the reply to callback " + id + ", got: " + text);
		}
		JsonNode arguments = message.get("arguments");
		if (arguments == null || !arguments.isArray() || arguments.size() != 1) {
			throw new AssertionError("A reply must carry exactly one argument {error, result}, got: " + text);
		}
		return arguments.get(0);
	}

	/** The next text message, or {@code null} if none arrives in time. */
	String next(Duration timeout) {
		try {
			return this.received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** How the server closed the connection, waiting up to {@code timeout}. */
	Close awaitClose(Duration timeout) {
		try {
			return this.closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new AssertionError("The connection was not closed within " + timeout);
		}
		catch (Exception ex) {
			throw new AssertionError("Waiting for the close failed", ex);
		}
	}

	boolean isClosed() {
		return this.closed.isDone();
	}

	private String closedNote() {
		Close close = this.closed.getNow(null);
		return (close != null) ? " (the connection was closed: " + close + ")" : "";
	}

	@Override
	public void close() {
		if (!this.socket.isOutputClosed()) {
			this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye")
				.orTimeout(5, TimeUnit.SECONDS)
				.exceptionally((ex) -> null);
		}
		this.socket.abort();
	}

	private final class Listener implements WebSocket.Listener {

		private final StringBuilder partial = new StringBuilder();

		@Override
		public void onOpen(WebSocket webSocket) {
			webSocket.request(1);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				RawKiteConnection.this.received.add(this.partial.toString());
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			RawKiteConnection.this.received.add("(binary message of " + data.remaining() + " bytes)");
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			RawKiteConnection.this.closed.complete(new Close(statusCode, reason));
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			RawKiteConnection.this.closed.complete(new Close(-1, String.valueOf(error)));
		}

	}

}
