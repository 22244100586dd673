package dev.kite.benchmarks.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A generator connection over the JDK's {@link WebSocket}: SockJS framing
 * ({@code /kite/<server>/<session>/websocket}, {@code o}/{@code h}/{@code a[…]}/{@code c}
 * frames, messages sent as JSON arrays of strings) or a raw WebSocket (one bare dnode
 * message per text message).
 *
 * <p>
 * Threads: the JDK client calls the listener one message at a time; see
 * {@link LoadConnection}.
 */
final class WebSocketLoadConnection extends LoadConnection implements WebSocket.Listener {

	private final boolean sockJs;

	private final CompletableFuture<Void> opened = new CompletableFuture<>();

	private final StringBuilder partial = new StringBuilder();

	private volatile @Nullable WebSocket webSocket;

	private volatile boolean closing;

	private WebSocketLoadConnection(LoadRun run, String[] frames, boolean sockJs) {
		super(run, frames, sockJs);
		this.sockJs = sockJs;
	}

	/**
	 * Dials and waits for the connection to open (for SockJS: its {@code o} frame).
	 * @param client the HTTP client
	 * @param uri the WebSocket URI
	 * @param run the run
	 * @param frames each slot's message (for SockJS already a JSON string literal)
	 * @param sockJs whether SockJS frames the messages
	 * @param timeout the bound of the dial
	 * @return the open connection
	 * @throws Exception when it cannot be opened in time
	 */
	static WebSocketLoadConnection open(HttpClient client, URI uri, LoadRun run, String[] frames, boolean sockJs,
			Duration timeout) throws Exception {
		WebSocketLoadConnection connection = new WebSocketLoadConnection(run, frames, sockJs);
		connection.webSocket = client.newWebSocketBuilder()
			.connectTimeout(timeout)
			.buildAsync(uri, connection)
			.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		if (!sockJs) {
			connection.opened.complete(null);
		}
		connection.opened.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		return connection;
	}

	@Override
	CompletableFuture<?> write(String payload) {
		WebSocket webSocket = this.webSocket;
		return (webSocket != null) ? webSocket.sendText(payload, true)
				: CompletableFuture.failedFuture(new IllegalStateException("not open"));
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		webSocket.request(1);
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		String message;
		if (!last || this.partial.length() > 0) {
			this.partial.append(data);
			if (!last) {
				webSocket.request(1);
				return null;
			}
			message = this.partial.toString();
			this.partial.setLength(0);
		}
		else {
			message = data.toString();
		}
		if (this.sockJs) {
			onSockJsFrame(message, this.opened);
		}
		else {
			KiteFrames.scanMessage(message, this::reply);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		if (!this.closing) {
			this.opened.completeExceptionally(new IllegalStateException("closed: " + statusCode + " " + reason));
			failed("connection closed by the server: " + statusCode + " " + reason);
		}
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		if (!this.closing) {
			this.opened.completeExceptionally(error);
			failed("connection failed: " + error);
		}
	}

	@Override
	void close() {
		this.closing = true;
		WebSocket webSocket = this.webSocket;
		if (webSocket != null) {
			// Not waiting for the close handshake: a dead peer would not answer it.
			webSocket.abort();
		}
	}

}
