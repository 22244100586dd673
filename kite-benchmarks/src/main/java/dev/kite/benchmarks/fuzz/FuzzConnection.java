package dev.kite.benchmarks.fuzz;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One raw WebSocket connection ({@code /kite/websocket}, the JDK's client) that sends
 * whatever text it is given and sorts what comes back: a reply ({@code "method"} a
 * number) is counted against its callback id, and whatever else arrives (or a reply that
 * is not shaped as a kite reply) is kept as unexpected, except the server calling one of
 * the functions the connection gave it (a dnode peer may: {@code echo} hands a function
 * back, and calling that forwards the call). Replies also complete the futures of
 * {@link #awaitReply} callers.
 *
 * <p>
 * Threads: one thread sends ({@link #send} waits for the previous write); the HTTP
 * client's thread delivers messages and the close.
 */
final class FuzzConnection implements WebSocket.Listener, AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final WebSocket webSocket;

	private final StringBuilder partial = new StringBuilder();

	private final Map<Long, AtomicInteger> replies = new ConcurrentHashMap<>();

	private final Map<Long, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();

	private final List<String> unexpected = new CopyOnWriteArrayList<>();

	private final Set<Long> functions = ConcurrentHashMap.newKeySet();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private final @Nullable Runnable onReply;

	private FuzzConnection(HttpClient client, String url, Duration timeout, @Nullable Runnable onReply)
			throws Exception {
		this.onReply = onReply;
		this.webSocket = client.newWebSocketBuilder()
			.connectTimeout(timeout)
			.buildAsync(URI.create(url), this)
			.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Dials.
	 * @param client the HTTP client
	 * @param url the raw WebSocket URL
	 * @param timeout bounds the dial
	 * @param onReply run on every reply (e.g. to release an in-flight permit), or null
	 * @return the open connection
	 * @throws Exception when the dial fails or times out
	 */
	static FuzzConnection open(HttpClient client, String url, Duration timeout, @Nullable Runnable onReply)
			throws Exception {
		return new FuzzConnection(client, url, timeout, onReply);
	}

	/**
	 * Sends one text frame and waits until it is written.
	 * @param text the frame
	 * @param timeout bounds the write
	 * @throws Exception when the write fails or times out
	 */
	void send(String text, Duration timeout) throws Exception {
		this.webSocket.sendText(text, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Records functions this connection gave the server (before sending the frame that
	 * gives them), so that the server calling them is not unexpected.
	 * @param ids the function ids
	 */
	void gave(Set<Long> ids) {
		this.functions.addAll(ids);
	}

	/**
	 * Sends a valid {@code square(n)} call and waits for its reply.
	 * @param id a callback id no other frame of this connection uses
	 * @param n the number
	 * @param timeout bounds the write and the wait
	 * @return the reply's first argument ({@code error}, {@code result})
	 * @throws Exception when no reply comes in time
	 */
	JsonNode awaitSquare(long id, int n, Duration timeout) throws Exception {
		CompletableFuture<JsonNode> reply = new CompletableFuture<>();
		this.waiting.put(id, reply);
		send(HostileFrames.squareCall(id, n), timeout);
		return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** How many replies came for the given callback id. */
	int replies(long id) {
		AtomicInteger count = this.replies.get(id);
		return (count != null) ? count.get() : 0;
	}

	/** The callback ids that got replies. */
	Map<Long, AtomicInteger> allReplies() {
		return this.replies;
	}

	/** Messages that were not kite replies. */
	List<String> unexpected() {
		return this.unexpected;
	}

	/** Completes with the close code when the connection closes. */
	CompletableFuture<Integer> closed() {
		return this.closed;
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			String text = this.partial.toString();
			this.partial.setLength(0);
			received(text);
		}
		webSocket.request(1);
		return null;
	}

	private void received(String text) {
		JsonNode message;
		try {
			message = json.readTree(text);
		}
		catch (JacksonException ex) {
			this.unexpected.add("not JSON (" + ex.getOriginalMessage() + "): " + FuzzReport.abbreviate(text));
			return;
		}
		JsonNode method = (message != null) ? message.get("method") : null;
		JsonNode arguments = (message != null) ? message.get("arguments") : null;
		if (method == null || !method.isIntegralNumber() || arguments == null || !arguments.isArray()
				|| arguments.size() != 1 || !arguments.get(0).isObject() || !arguments.get(0).has("error")) {
			if (method != null && method.isIntegralNumber() && arguments != null && arguments.isArray()
					&& this.functions.contains(method.longValue())) {
				return; // the server called one of our functions: legitimate
			}
			this.unexpected.add("not a kite reply: " + FuzzReport.abbreviate(text));
			return;
		}
		long id = method.longValue();
		this.replies.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
		CompletableFuture<JsonNode> waiter = this.waiting.remove(id);
		if (waiter != null) {
			waiter.complete(arguments.get(0));
		}
		if (this.onReply != null) {
			this.onReply.run();
		}
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closed.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.unexpected.add("WebSocket error: " + error);
		this.closed.complete(-1);
	}

	@Override
	public void close() {
		// Bounded: a server that never answers the close handshake is aborted.
		try {
			if (!this.webSocket.isOutputClosed()) {
				this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
			}
			this.closed.get(5, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			// aborted below
		}
		finally {
			this.webSocket.abort();
		}
	}

}
