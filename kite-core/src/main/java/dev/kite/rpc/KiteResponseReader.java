package dev.kite.rpc;

import dev.kite.protocol.KiteError;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads what a peer passed to one of our {@code responseCallback}s (PROTOCOL §3.3, §8.5,
 * §8.7). Shared by the client's calls and by {@link KitePeer}, the server's calls on the
 * peer of a connection.
 *
 * <p>
 * Accepted forms:
 * <ul>
 * <li>{@code [{"error":…,"result":…}]} — Go and kite.js servers. The object must have the
 * key {@code error} or {@code result} ({@code null} values count); a non-null
 * {@code error} fails the call even when {@code result} is set.</li>
 * <li>{@code [err, result]} — a kite.js <em>client</em> serving a call; {@code [null]} is
 * its answer to {@code kite.heartbeat}. A kite.js client's auth failure sits inside the
 * result ({@code [null,{"error":{"message":…}}]}) and is reported as that error.</li>
 * </ul>
 * Anything else is {@code invalidResponse}: {@code Invalid array length} for zero or more
 * than two arguments, {@code Server has sent invalid response arguments} for a single
 * argument without {@code error}/{@code result}. Error fields must be scalars; strings
 * are taken as they are, other scalars as their text (Go would reject a numeric
 * {@code code}; we accept it).
 *
 * <p>
 * Stateless and thread-safe.
 */
public final class KiteResponseReader {

	private KiteResponseReader() {
	}

	/**
	 * Reads a response.
	 * @param arguments the arguments of the response callback invocation
	 * @return the result node (may be {@code null} or a {@code NullNode})
	 * @throws KiteException with the remote error, or {@code invalidResponse}
	 */
	public static @Nullable JsonNode read(JsonNode[] arguments) {
		if (arguments.length == 1) {
			JsonNode response = arguments[0];
			if (response == null || response.isNull()) {
				return null; // kite.js client: callback(null)
			}
			if (!response.isObject() || !(response.has("error") || response.has("result"))) {
				throw invalidResponse("Server has sent invalid response arguments");
			}
			JsonNode error = response.get("error");
			if (error != null && !error.isNull()) {
				throw new KiteException(readError(error));
			}
			return response.get("result");
		}
		if (arguments.length == 2) {
			JsonNode error = arguments[0];
			if (error != null && !error.isNull()) {
				throw new KiteException(readError(error));
			}
			JsonNode result = arguments[1];
			if (result != null && result.isObject() && result.size() == 1) {
				JsonNode nested = result.get("error");
				if (nested != null && nested.isObject() && nested.has("message")) {
					// a kite.js client's auth failure
					throw new KiteException(readError(nested));
				}
			}
			return result;
		}
		throw invalidResponse("Invalid array length");
	}

	private static KiteError readError(JsonNode error) {
		if (error.isObject()) {
			return new KiteError(field(error, "type"), field(error, "message"), field(error, "code"),
					field(error, "id"));
		}
		if (error.isValueNode()) {
			return new KiteError("", error.asString(), "", "");
		}
		throw invalidResponse("Server has sent an invalid error");
	}

	private static String field(JsonNode error, String name) {
		JsonNode value = error.get(name);
		if (value == null || value.isNull()) {
			return "";
		}
		if (!value.isValueNode()) {
			throw invalidResponse("Server has sent an invalid error: \"" + name + "\" is not a scalar");
		}
		return value.asString();
	}

	/**
	 * An {@code invalidResponse} error.
	 * @param message its message
	 * @return the exception
	 */
	public static KiteException invalidResponse(String message) {
		return new KiteException(KiteErrorTypes.INVALID_RESPONSE, message);
	}

}
