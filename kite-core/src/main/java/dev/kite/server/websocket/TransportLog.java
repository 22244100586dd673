package dev.kite.server.websocket;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warnings about peers (a slow reader closed, a bad {@code xhr_send}, a refused
 * handshake), rate-limited: at most {@value #PER_WINDOW} WARNs per ten seconds for one
 * endpoint (one per {@link KiteWebSocketHandler}), the rest at DEBUG and counted in the
 * next WARN. A flood of bad peers can therefore not flood the log, and no warning carries
 * a stack trace (a peer's bad input is not a server fault).
 *
 * <p>
 * Threads: any; the window is two atomics, a race only lets a WARN or two more through.
 */
final class TransportLog {

	private static final Logger logger = LoggerFactory.getLogger("dev.kite.server.websocket.transport");

	static final int PER_WINDOW = 10;

	private static final long WINDOW_NANOS = 10_000_000_000L;

	private final AtomicLong windowStart = new AtomicLong(System.nanoTime());

	private final AtomicLong inWindow = new AtomicLong();

	private final AtomicLong suppressed = new AtomicLong();

	/**
	 * Logs a warning unless the window's quota is used up (then at DEBUG).
	 * @param format an SLF4J format; arguments should be {@code LogSafe}
	 * @param arguments its arguments (no throwable)
	 */
	void warn(String format, Object... arguments) {
		long now = System.nanoTime();
		long start = this.windowStart.get();
		if (now - start > WINDOW_NANOS && this.windowStart.compareAndSet(start, now)) {
			this.inWindow.set(0);
		}
		if (this.inWindow.incrementAndGet() <= PER_WINDOW) {
			long dropped = this.suppressed.getAndSet(0);
			if (dropped > 0) {
				logger.warn("{} similar transport warnings were logged at DEBUG only", dropped);
			}
			logger.warn(format, arguments);
		}
		else {
			this.suppressed.incrementAndGet();
			logger.debug(format, arguments);
		}
	}

}
