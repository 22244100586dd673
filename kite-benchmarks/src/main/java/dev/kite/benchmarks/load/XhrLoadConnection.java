package dev.kite.benchmarks.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * A generator connection over SockJS XHR polling, on the JDK's {@link HttpClient}: one
 * poller (one {@code POST …/xhr} at a time, the next sent when the previous answered) and
 * one writer ({@code POST …/xhr_send} with a JSON array of the messages queued while the
 * previous send was under way).
 *
 * <p>
 * Threads: the poll chain runs on the HTTP client's threads, one response at a time;
 * {@link #write} is called from the main thread (first calls) and the poller; the send
 * completions run on the client's threads. See {@link LoadConnection}.
 */
final class XhrLoadConnection extends LoadConnection {

	private final HttpClient client;

	private final URI receive;

	private final URI send;

	private final Duration timeout;

	private final CompletableFuture<Void> opened = new CompletableFuture<>();

	private final String[] frames;

	private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean writing = new AtomicBoolean();

	private volatile boolean closing;

	private XhrLoadConnection(HttpClient client, URI session, LoadRun run, String[] frames, Duration timeout) {
		super(run, frames.length);
		this.frames = frames;
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
					HttpResponse.BodyHandlers.ofByteArray())
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
				byte[] body = response.body();
				int end = body.length;
				while (end > 0 && body[end - 1] == '\n') {
					end--;
				}
				onSockJsFrame(body, 0, end, this.opened);
				if (end > 0 && body[0] == 'c') {
					return;
				}
				poll();
			});
	}

	@Override
	void start() {
		sendAll();
	}

	@Override
	void write(int slot) {
		this.queue.offer(this.frames[slot]);
		drain();
	}

	private void drain() {
		while (this.writing.compareAndSet(false, true)) {
			String payload = nextPayload();
			if (payload == null) {
				this.writing.set(false);
				if (this.queue.isEmpty()) {
					return;
				}
				continue;
			}
			send(payload).whenComplete((result, ex) -> {
				if (ex != null) {
					failed("write failed: " + ex);
				}
				this.writing.set(false);
				drain();
			});
			return;
		}
	}

	private @Nullable String nextPayload() {
		String first = this.queue.poll();
		if (first == null) {
			return null;
		}
		String next = this.queue.poll();
		if (next == null) {
			return "[" + first + "]";
		}
		StringBuilder batch = new StringBuilder(first.length() * 4).append('[').append(first);
		for (; next != null; next = this.queue.poll()) {
			batch.append(',').append(next);
		}
		return batch.append(']').toString();
	}

	private CompletableFuture<?> send(String payload) {
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
