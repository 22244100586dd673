package dev.kite.client;

import java.time.Duration;

import dev.kite.protocol.GoDurations;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.rpc.KiteResponseReader;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads what a peer passed to our {@code responseCallback} (the forms are those of
 * {@link KiteResponseReader}, shared with the server's calls on its peers) and builds the
 * local errors, worded as Go words them.
 *
 * <p>
 * Stateless and thread-safe.
 */
final class KiteResponses {

	private KiteResponses() {
	}

	/**
	 * Reads a response.
	 * @param arguments the arguments of the response callback invocation
	 * @return the result node (may be {@code null} or a {@code NullNode})
	 * @throws KiteException with the remote error, or {@code invalidResponse}
	 * @see KiteResponseReader#read(JsonNode[])
	 */
	static @Nullable JsonNode read(JsonNode[] arguments) {
		return KiteResponseReader.read(arguments);
	}

	static KiteException invalidResponse(String message) {
		return KiteResponseReader.invalidResponse(message);
	}

	static KiteException timeout(String method, Duration timeout) {
		return new KiteException(KiteErrorTypes.TIMEOUT,
				"No response to \"" + method + "\" method in " + GoDurations.format(timeout));
	}

	static KiteException disconnect() {
		return new KiteException(KiteErrorTypes.DISCONNECT, "Remote kite has disconnected");
	}

	static KiteException sendError(String message) {
		return new KiteException(KiteErrorTypes.SEND_ERROR, message);
	}

}
