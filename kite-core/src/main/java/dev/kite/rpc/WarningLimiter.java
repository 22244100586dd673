package dev.kite.rpc;

/**
 * Bounds the WARN lines one connection causes: a fixed number per minute, the rest
 * counted so the next line written can say how many were left out. A peer sending garbage
 * must not turn a two-byte frame into a hundred bytes of log, over and over.
 *
 * <p>
 * Thread safety: synchronized; it is only reached on the (rare) paths that warn, never
 * for a well-formed call.
 */
final class WarningLimiter {

	private static final long WINDOW_MILLIS = 60_000;

	private long windowStart;

	private boolean started;

	private int written;

	private long suppressed;

	/**
	 * Asks to write one WARN line.
	 * @param nowMillis the current time
	 * @param perMinute how many lines a minute may have
	 * @return {@code -1} when the line must be left out (it is counted); otherwise how
	 * many lines were left out since the last one written (to be reported with it)
	 */
	synchronized long acquire(long nowMillis, int perMinute) {
		if (!this.started || nowMillis - this.windowStart >= WINDOW_MILLIS || nowMillis < this.windowStart) {
			this.started = true;
			this.windowStart = nowMillis;
			this.written = 0;
		}
		if (this.written < perMinute) {
			this.written++;
			long result = this.suppressed;
			this.suppressed = 0;
			return result;
		}
		this.suppressed++;
		return -1;
	}

}
