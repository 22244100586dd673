package dev.kite.rpc;

/**
 * Per-connection limits of the serving side, which protect the server from one peer.
 *
 * @param maxInFlightCalls how many calls of one connection may be running or waiting for
 * the executor at once; a call beyond it is answered with {@code requestLimitError} at
 * once (never dropped silently)
 * @param maxCallbacks how many of this side's functions one connection may hold (the
 * {@link dev.kite.dnode.DnodeConnection} callback table); beyond it the oldest are
 * released with a log line, and a peer calling one later is ignored as for any unknown id
 * @param warningsPerMinute how many WARN lines about one connection's bad input are
 * written per minute; the rest are counted and summarised ("N more suppressed") with the
 * next line that is written
 */
public record KiteServerLimits(int maxInFlightCalls, int maxCallbacks, int warningsPerMinute) {

	/** The default of {@link #maxInFlightCalls()}. */
	public static final int DEFAULT_MAX_IN_FLIGHT_CALLS = 1000;

	/** The default of {@link #maxCallbacks()}. */
	public static final int DEFAULT_MAX_CALLBACKS = 10_000;

	/** The default of {@link #warningsPerMinute()}. */
	public static final int DEFAULT_WARNINGS_PER_MINUTE = 10;

	public KiteServerLimits {
		if (maxInFlightCalls < 1) {
			throw new IllegalArgumentException("maxInFlightCalls must be at least 1, not " + maxInFlightCalls);
		}
		if (maxCallbacks < 1) {
			throw new IllegalArgumentException("maxCallbacks must be at least 1, not " + maxCallbacks);
		}
		if (warningsPerMinute < 0) {
			throw new IllegalArgumentException("warningsPerMinute must not be negative, not " + warningsPerMinute);
		}
	}

	/**
	 * 1,000 calls in flight, 10,000 callbacks held and 10 WARN lines per minute, per
	 * connection.
	 */
	public static KiteServerLimits defaults() {
		return new KiteServerLimits(DEFAULT_MAX_IN_FLIGHT_CALLS, DEFAULT_MAX_CALLBACKS, DEFAULT_WARNINGS_PER_MINUTE);
	}

}
