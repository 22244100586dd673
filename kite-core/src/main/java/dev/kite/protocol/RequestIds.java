package dev.kite.protocol;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Server-side request ids: 16 random lowercase hex characters, as the Go kite makes them.
 * They tie an error the caller sees to the log line that holds its details.
 */
public final class RequestIds {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private RequestIds() {
	}

	/** A new random request id. */
	public static String next() {
		long bits = ThreadLocalRandom.current().nextLong();
		char[] id = new char[16];
		for (int i = 15; i >= 0; i--) {
			id[i] = HEX[(int) (bits & 0xF)];
			bits >>>= 4;
		}
		return new String(id);
	}

}
