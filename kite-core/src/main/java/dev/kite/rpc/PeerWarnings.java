package dev.kite.rpc;

import java.time.Clock;

import dev.kite.protocol.LogSafe;
import org.slf4j.Logger;

/**
 * Writes WARN lines about what a peer did within its connection's budget
 * ({@code kite.server.limits.warnings-per-minute}, kept by the session's
 * {@link WarningLimiter}), and never with a stack trace: a peer's input must not be able
 * to fill the log.
 *
 * <p>
 * Thread safety: immutable; any thread may warn.
 */
final class PeerWarnings {

	private final Clock clock;

	private final int perMinute;

	/**
	 * @param clock the time of the budget's windows
	 * @param perMinute WARN lines per connection and minute
	 */
	PeerWarnings(Clock clock, int perMinute) {
		this.clock = clock;
		this.perMinute = perMinute;
	}

	/**
	 * Writes one WARN line if the session's budget allows it, preceded by how many were
	 * left out since the last one.
	 * @param logger the logger to write to
	 * @param session the connection the line is about
	 * @param format an SLF4J format
	 * @param arguments its arguments (no throwable: no stack traces)
	 */
	void warn(Logger logger, KiteSession session, String format, Object... arguments) {
		if (!logger.isWarnEnabled()) {
			return;
		}
		long suppressed = session.warnings().acquire(this.clock.millis(), this.perMinute);
		if (suppressed < 0) {
			return;
		}
		if (suppressed > 0) {
			logger.warn("{} more warnings about session {} suppressed", suppressed, LogSafe.of(session.id()));
		}
		logger.warn(format, arguments);
	}

}
