package dev.kite.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.kite.benchmarks.Latencies;
import org.HdrHistogram.Histogram;

/**
 * One generator connection with {@code N} slots, each one call in flight. Slot {@code k}
 * sends its pre-encoded request and, when the reply for callback id {@code k} arrives,
 * records the latency and sends again (closed loop). How a request leaves is the
 * transport's ({@link #write}).
 *
 * <p>
 * Threads: replies arrive on the transport's one reading thread at a time (the
 * {@link IoLoop} thread, or the connection's one XHR poller), which alone records into
 * the histogram and sends the slot's next call; the timer thread gives up calls
 * ({@link #expire}); the main thread starts the connection and reads the histogram at the
 * end.
 */
abstract class LoadConnection {

	private final LoadRun run;

	/** When each slot's call was sent; 0 when the slot has no call in flight. */
	private final AtomicLongArray starts;

	private final Histogram histogram = new Histogram(1, Latencies.MAX_RECORDABLE_NANOS, 3);

	private long calls;

	/** {@link #reply} as a scan's callback, made once rather than per frame. */
	final KiteFrames.Replies replies = this::reply;

	/**
	 * @param run the run
	 * @param slots the calls in flight
	 */
	LoadConnection(LoadRun run, int slots) {
		this.run = run;
		this.starts = new AtomicLongArray(slots);
	}

	/** Sends every slot's first call (on the transport's thread, as {@link #write}). */
	abstract void start();

	/** Sends every slot's first call; for {@link #start}. */
	final void sendAll() {
		for (int slot = 0; slot < this.starts.length(); slot++) {
			send(slot);
		}
	}

	private void send(int slot) {
		this.run.sent();
		this.starts.set(slot, System.nanoTime());
		write(slot);
	}

	/**
	 * Sends slot {@code slot}'s pre-encoded request (or queues it for the transport's
	 * next write).
	 * @param slot the slot
	 */
	abstract void write(int slot);

	/** Closes the connection; bounded. */
	abstract void close();

	/**
	 * Fails the connection when one of its transport's requests is outstanding past its
	 * deadline (called by the timer thread; a transport whose calls' timeouts cover it
	 * does nothing).
	 */
	void checkRequests() {
	}

	/**
	 * A reply arrived (called by one thread at a time).
	 * @param slot its callback id
	 * @param error whether it carries an error
	 */
	final void reply(int slot, boolean error) {
		if (slot < 0 || slot >= this.starts.length()) {
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
	 * @param frame the bytes holding it
	 * @param from its start
	 * @param to its end
	 * @param opened completed by the open frame
	 */
	final void onSockJsFrame(byte[] frame, int from, int to, CompletableFuture<Void> opened) {
		if (from == to) {
			return;
		}
		switch (frame[from]) {
			case 'o' -> opened.complete(null);
			case 'h' -> {
				// heartbeat
			}
			case 'a', 'm' -> {
				if (!KiteFrames.scanSockJs(frame, from, to, this.replies)) {
					failed("malformed SockJS frame: " + abbreviate(frame, from, to));
				}
			}
			case 'c' -> {
				String reason = "closed by the server: " + abbreviate(frame, from, to);
				opened.completeExceptionally(new IllegalStateException(reason));
				failed(reason);
			}
			default -> failed("unexpected SockJS frame: " + abbreviate(frame, from, to));
		}
	}

	static String abbreviate(byte[] bytes, int from, int to) {
		String text = new String(bytes, from, Math.min(to - from, 400), StandardCharsets.UTF_8);
		return (text.length() > 200 || to - from > 400) ? text.substring(0, Math.min(200, text.length())) + "…" : text;
	}

}
