package dev.kite.autoconfigure.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare WebSocket peer for tests: sends exactly the text it is given, records every text
 * frame and the close code. No kite or SockJS logic, so tests see the server's bytes as
 * they are.
 */
final class WireClient implements WebSocket.Listener, AutoCloseable {

	private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

	private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private final StringBuilder partial = new StringBuilder();

	private final WebSocket socket;

	private WireClient(URI uri) throws Exception {
		this.socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(uri, this)
			.get(10, TimeUnit.SECONDS);
	}

	static WireClient connect(String uri) throws Exception {
		return new WireClient(URI.create(uri));
	}

	void send(String text) {
		this.socket.sendText(text, true).join();
	}

	String next() throws InterruptedException {
		String text = this.received.poll(10, TimeUnit.SECONDS);
		if (text == null) {
			throw new AssertionError("No frame within 10 s");
		}
		return text;
	}

	String poll(Duration wait) throws InterruptedException {
		return this.received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
	}

	int awaitClose() throws Exception {
		return this.closeCode.get(10, TimeUnit.SECONDS);
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			this.received.add(this.partial.toString());
			this.partial.setLength(0);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closeCode.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closeCode.complete(-1);
	}

	@Override
	public void close() {
		this.socket.abort();
	}

}
