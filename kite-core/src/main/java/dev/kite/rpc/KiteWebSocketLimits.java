package dev.kite.rpc;

import java.time.Duration;

/**
 * Per-connection limits of the kite endpoint, and how many connections it serves.
 *
 * @param maxMessageSize the largest incoming dnode message, in characters; a larger one
 * closes the session with 1009 (too big)
 * @param sendTimeLimit how long one write to a peer may take before the session is closed
 * (a peer that stops reading)
 * @param sendBufferSizeLimit how many characters of outgoing messages may wait for a
 * session's writer before the session is closed
 * @param maxConnections how many kite sessions (WebSocket, SockJS) the endpoint serves at
 * once; a handshake beyond it is refused with 503
 * @param pingInterval how long a raw WebSocket may stay silent before it is pinged
 * (SockJS sessions have heartbeats instead)
 * @param idleTimeout how long a raw WebSocket may stay silent (no message, no pong)
 * before it is closed; longer than {@code pingInterval}, so a live peer always has a ping
 * to answer first
 */
public record KiteWebSocketLimits(int maxMessageSize, Duration sendTimeLimit, int sendBufferSizeLimit,
		int maxConnections, Duration pingInterval, Duration idleTimeout) {

	/** The default of {@link #maxConnections()}: 10,000. */
	public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

	/** The default of {@link #pingInterval()}: 25 s. */
	public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(25);

	/** The default of {@link #idleTimeout()}: 60 s. */
	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

	/** Validates the limits. */
	public KiteWebSocketLimits {
		if (maxMessageSize < 1 || sendBufferSizeLimit < 1 || maxConnections < 1) {
			throw new IllegalArgumentException(
					"maxMessageSize, sendBufferSizeLimit and maxConnections must be positive");
		}
		requirePositive("sendTimeLimit", sendTimeLimit);
		requirePositive("pingInterval", pingInterval);
		if (idleTimeout.compareTo(pingInterval) <= 0) {
			throw new IllegalArgumentException(
					"idleTimeout (" + idleTimeout + ") must be longer than pingInterval (" + pingInterval + ")");
		}
	}

	/**
	 * Limits with the default connection count, ping interval and idle timeout.
	 * @param maxMessageSize see {@link #maxMessageSize()}
	 * @param sendTimeLimit see {@link #sendTimeLimit()}
	 * @param sendBufferSizeLimit see {@link #sendBufferSizeLimit()}
	 */
	public KiteWebSocketLimits(int maxMessageSize, Duration sendTimeLimit, int sendBufferSizeLimit) {
		this(maxMessageSize, sendTimeLimit, sendBufferSizeLimit, DEFAULT_MAX_CONNECTIONS, DEFAULT_PING_INTERVAL,
				DEFAULT_IDLE_TIMEOUT);
	}

	/**
	 * 1 MiB messages, 10 s per write, 4 MiB of queued output, 10,000 connections, raw
	 * WebSockets pinged after 25 s of silence and closed after 60 s.
	 */
	public static KiteWebSocketLimits defaults() {
		return new KiteWebSocketLimits(1024 * 1024, Duration.ofSeconds(10), 4 * 1024 * 1024);
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive: " + value);
		}
	}

}
