package dev.kite.benchmarks.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A generator connection over SockJS XHR polling: one poller (one {@code POST …/xhr} at a
 * time, the next sent when the previous answered) and one writer ({@code POST …/xhr_send}
 * with a JSON array of the queued messages).
 *
 * <p>
 * Threads: the poll chain runs on the HTTP client's threads, one response at a time; see
 * {@link LoadConnection}.
 */
final class XhrLoadConnection extends LoadConnection {

	private final HttpClient client;

	private final URI receive;

	private final URI send;

	private final Duration timeout;

	private final CompletableFuture<Void> opened = new CompletableFuture<>();

	private volatile boolean closing;

	private XhrLoadConnection(HttpClient client, URI session, LoadRun run, String[] frames, Duration timeout) {
		super(run, frames, true);
		this.client = client;
		this.receive = URI.create(session + "/xhr");
		this.send = URI.create(session + "/xhr_send");
		this.timeout = timeout;
	}

	/**
	 * Opens a session and waits for its {@code o} frame.
	 * @param client the HTTP client
	 * @param session the session's base, {@code http://host:port/kite/<server>/<session>}
	 * @param run the run
	 * @param frames each slot's message as a JSON string literal
	 * @param timeout the bound of the open and of each request
	 * @return the open connection, polling
	 * @throws Exception when it cannot be opened in time
	 */
	static XhrLoadConnection open(HttpClient client, URI session, LoadRun run, String[] frames, Duration timeout)
			throws Exception {
		XhrLoadConnection connection = new XhrLoadConnection(client, session, run, frames, timeout);
		connection.poll();
		connection.opened.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		return connection;
	}

	private HttpRequest.Builder post(URI uri) {
		// A poll is held open by the server for up to its heartbeat (25 s by default).
		return HttpRequest.newBuilder(uri).timeout(this.timeout.plusSeconds(30));
	}

	private void poll() {
		this.client
			.sendAsync(post(this.receive).POST(HttpRequest.BodyPublishers.noBody()).build(),
					HttpResponse.BodyHandlers.ofString())
			.whenComplete((response, ex) -> {
				if (this.closing) {
					return;
				}
				if (ex != null || response.statusCode() != 200) {
					String reason = "xhr poll failed: " + ((ex != null) ? ex : "HTTP " + response.statusCode());
					this.opened.completeExceptionally(new IllegalStateException(reason));
					failed(reason);
					return;
				}
				String body = response.body();
				int end = body.length();
				while (end > 0 && body.charAt(end - 1) == '\n') {
					end--;
				}
				onSockJsFrame(body.substring(0, end), this.opened);
				if (body.startsWith("c")) {
					return;
				}
				poll();
			});
	}

	@Override
	CompletableFuture<?> write(String payload) {
		return this.client
			.sendAsync(post(this.send).header("Content-Type", "text/plain;charset=UTF-8")
				.POST(HttpRequest.BodyPublishers.ofString(payload))
				.build(), HttpResponse.BodyHandlers.discarding())
			.thenAccept((response) -> {
				if (response.statusCode() != 204 && response.statusCode() != 200) {
					throw new IllegalStateException("xhr_send answered HTTP " + response.statusCode());
				}
			});
	}

	@Override
	void close() {
		this.closing = true;
	}

}
