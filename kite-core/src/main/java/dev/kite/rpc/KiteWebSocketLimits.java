package dev.kite.rpc;

import java.time.Duration;

/**
 * Per-session limits of the kite endpoint.
 *
 * @param maxMessageSize the largest incoming dnode message, in characters; a larger one
 * closes the session with 1009 (too big)
 * @param sendTimeLimit how long one send may take before the session is closed
 * @param sendBufferSizeLimit how many bytes may wait to be sent before the session is
 * closed
 */
public record KiteWebSocketLimits(int maxMessageSize, Duration sendTimeLimit, int sendBufferSizeLimit) {

	/** 1 MiB messages, 10 s per send, 4 MiB of queued output. */
	public static KiteWebSocketLimits defaults() {
		return new KiteWebSocketLimits(1024 * 1024, Duration.ofSeconds(10), 4 * 1024 * 1024);
	}

}
