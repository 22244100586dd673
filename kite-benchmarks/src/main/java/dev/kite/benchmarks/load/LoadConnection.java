package dev.kite.benchmarks.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.kite.benchmarks.Latencies;
import org.HdrHistogram.Histogram;

/**
 * One generator connection with {@code N} slots, each one call in flight. Slot {@code k}
 * sends its pre-encoded frame and, when the reply for callback id {@code k} arrives,
 * records the latency and sends again (closed loop). Writes go through one writer: the
 * frames queued while a write is under way leave together in the next one (for SockJS as
 * one array, which sockjs-go and Spring accept).
 *
 * <p>
 * Threads: {@link #send} from the main thread (first calls) and from the reply thread;
 * replies arrive on the transport's one reading thread at a time (the JDK WebSocket
 * listener, or the connection's one XHR poller), which alone records into the histogram;
 * the write completions run on the HTTP client's threads.
 */
abstract class LoadConnection {

	private final LoadRun run;

	private final String[] frames;

	/** When each slot's call was sent; 0 when the slot has no call in flight. */
	private final AtomicLongArray starts;

	private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean writing = new AtomicBoolean();

	private final boolean batches;

	private final Histogram histogram = new Histogram(1, Latencies.MAX_RECORDABLE_NANOS, 3);

	private long calls;

	/**
	 * @param run the run
	 * @param frames slot {@code k}'s pre-encoded message
	 * @param batches whether queued messages may leave in one write (SockJS arrays)
	 */
	LoadConnection(LoadRun run, String[] frames, boolean batches) {
		this.run = run;
		this.frames = frames;
		this.starts = new AtomicLongArray(frames.length);
		this.batches = batches;
	}

	int slots() {
		return this.frames.length;
	}

	/** Sends every slot's first call. */
	void start() {
		for (int slot = 0; slot < this.frames.length; slot++) {
			send(slot);
		}
	}

	private void send(int slot) {
		this.run.sent();
		this.starts.set(slot, System.nanoTime());
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
			write(payload).whenComplete((result, ex) -> {
				if (ex != null) {
					failed("write failed: " + ex);
				}
				this.writing.set(false);
				drain();
			});
			return;
		}
	}

	private @org.jspecify.annotations.Nullable String nextPayload() {
		String first = this.queue.poll();
		if (first == null || !this.batches) {
			return first;
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

	/**
	 * Writes one payload; at most one write is under way at a time.
	 * @param payload a message (raw WebSocket) or a SockJS array of messages
	 * @return completed when written
	 */
	abstract CompletableFuture<?> write(String payload);

	/** Closes the connection; bounded. */
	abstract void close();

	/**
	 * A reply arrived (called by one thread at a time).
	 * @param slot its callback id
	 * @param error whether it carries an error
	 */
	final void reply(int slot, boolean error) {
		if (slot < 0 || slot >= this.frames.length) {
			this.run.error();
			return;
		}
		long start = this.starts.getAndSet(slot, 0);
		if (start == 0) {
			// Already given up (timed out): nothing to match.
			return;
		}
		long now = System.nanoTime();
		this.run.callEnded();
		if (error) {
			this.run.error();
		}
		else if (this.run.measured(start, now)) {
			synchronized (this.histogram) {
				Latencies.record(this.histogram, now - start);
				this.calls++;
			}
		}
		if (!this.run.stopping()) {
			send(slot);
		}
	}

	/**
	 * Gives up the calls in flight longer than the timeout, counting each as an error.
	 * @param now the time
	 * @param timeoutNanos the call timeout
	 * @return whether any was given up
	 */
	final boolean expire(long now, long timeoutNanos) {
		boolean expired = false;
		for (int slot = 0; slot < this.starts.length(); slot++) {
			long start = this.starts.get(slot);
			if (start != 0 && now - start > timeoutNanos && this.starts.compareAndSet(slot, start, 0)) {
				this.run.callEnded();
				this.run.error();
				expired = true;
			}
		}
		return expired;
	}

	/**
	 * The connection is lost: its calls in flight are errors and the run ends.
	 * @param reason why
	 */
	final void failed(String reason) {
		for (int slot = 0; slot < this.starts.length(); slot++) {
			long start = this.starts.getAndSet(slot, 0);
			if (start != 0) {
				this.run.callEnded();
				this.run.error();
			}
		}
		this.run.abort(reason);
	}

	/**
	 * Adds this connection's measured latencies.
	 * @param total the merged histogram
	 * @return the measured calls
	 */
	final long addTo(Histogram total) {
		synchronized (this.histogram) {
			total.add(this.histogram);
			return this.calls;
		}
	}

	/**
	 * Handles one SockJS frame from the server.
	 * @param frame the frame
	 * @param opened completed by the open frame
	 */
	final void onSockJsFrame(String frame, CompletableFuture<Void> opened) {
		if (frame.isEmpty()) {
			return;
		}
		switch (frame.charAt(0)) {
			case 'o' -> opened.complete(null);
			case 'h' -> {
				// heartbeat
			}
			case 'a', 'm' -> {
				if (!KiteFrames.scanSockJs(frame, this::reply)) {
					failed("malformed SockJS frame: " + abbreviate(frame));
				}
			}
			case 'c' -> {
				opened.completeExceptionally(new IllegalStateException("closed by the server: " + frame));
				failed("closed by the server: " + frame);
			}
			default -> failed("unexpected SockJS frame: " + abbreviate(frame));
		}
	}

	static String abbreviate(String text) {
		return (text.length() > 200) ? text.substring(0, 200) + "…" : text;
	}

}
