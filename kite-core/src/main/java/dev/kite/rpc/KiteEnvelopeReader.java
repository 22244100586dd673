package dev.kite.rpc;

import dev.kite.dnode.DnodeTrees;
import dev.kite.dnode.RemoteCallback;
import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * Reads a method call's dnode arguments as a kite envelope: exactly one object, whose
 * {@code kite} and {@code authentication} are objects or absent, and whose
 * {@code withArgs} is an array, a single value (kite.js's {@code tell("square", 4)}) or
 * absent/{@code null} (Go, zero arguments).
 *
 * <p>
 * The {@code argumentError} messages written here reach the caller; they name the part
 * that is wrong and never echo the caller's values.
 *
 * <p>
 * Thread safety: stateless.
 */
final class KiteEnvelopeReader {

	private KiteEnvelopeReader() {
	}

	/**
	 * Finds where the outcome of a call goes, before anything else is checked: even a
	 * malformed envelope gets an error reply when it names a {@code responseCallback}.
	 * @param arguments the call's dnode arguments
	 * @return the function at {@code arguments[0].responseCallback}, or {@code null}
	 */
	static @Nullable RemoteCallback responder(ArrayNode arguments) {
		JsonNode envelope = arguments.isEmpty() ? null : arguments.get(0);
		return (envelope != null && envelope.isObject()) ? DnodeTrees.callbackAt(envelope.get("responseCallback"))
				: null;
	}

	/**
	 * Reads and checks the envelope.
	 * @param arguments the call's dnode arguments
	 * @param mapper binds {@code kite} and {@code authentication}
	 * @return the envelope
	 * @throws KiteException an {@code argumentError} when the envelope is malformed
	 */
	static KiteEnvelope read(ArrayNode arguments, ObjectMapper mapper) {
		return read(arguments, mapper, new LastBinding<>(Kite.class), new LastBinding<>(Auth.class));
	}

	/**
	 * Reads and checks the envelope, reusing what the same connection's previous request
	 * bound when its {@code kite} or {@code authentication} is equal.
	 * @param arguments the call's dnode arguments
	 * @param mapper binds {@code kite} and {@code authentication}
	 * @param kites the connection's last {@code kite}
	 * @param auths the connection's last {@code authentication}
	 * @return the envelope
	 * @throws KiteException an {@code argumentError} when the envelope is malformed
	 */
	static KiteEnvelope read(ArrayNode arguments, ObjectMapper mapper, LastBinding<Kite> kites,
			LastBinding<Auth> auths) {
		if (arguments.size() != 1 || !arguments.get(0).isObject()) {
			throw argumentError("Invalid envelope: arguments must hold exactly one object");
		}
		JsonNode envelope = arguments.get(0);
		Kite kite = readPart(envelope.get("kite"), kites, "kite", mapper);
		Auth auth = readPart(envelope.get("authentication"), auths, "authentication", mapper);
		JsonNode withArgs = envelope.get("withArgs");
		ArrayNode positional;
		if (withArgs == null || withArgs.isNull()) {
			positional = mapper.createArrayNode(); // Go sends null for zero arguments
		}
		else if (withArgs instanceof ArrayNode array) {
			positional = array;
		}
		else {
			positional = mapper.createArrayNode().add(withArgs); // kite.js tell("square",
																	// 4)
		}
		return new KiteEnvelope(kite, auth, positional);
	}

	private static <T> @Nullable T readPart(@Nullable JsonNode node, LastBinding<T> binding, String name,
			ObjectMapper mapper) {
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isObject()) {
			throw argumentError("Invalid envelope: \"" + name + "\" must be an object");
		}
		try {
			return binding.bind(node, mapper);
		}
		catch (JacksonException ex) {
			throw argumentError("Invalid envelope: \"" + name + "\" has fields of the wrong type");
		}
	}

	private static KiteException argumentError(String message) {
		return new KiteException(KiteErrorTypes.ARGUMENT_ERROR, message);
	}

}
