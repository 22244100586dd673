package dev.kite.sample.kv;

import java.nio.charset.StandardCharsets;

import dev.kite.dnode.DnodeTrees;
import dev.kite.dnode.RemoteCallback;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.rpc.KiteInvocation;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteSession;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The key-value kite's methods, served on the app's kite endpoint next to {@code math}:
 * <ul>
 * <li>{@code kv.get(key)} answers {@code {"value":…,"version":…}}, or fails with
 * {@value #KEY_NOT_FOUND}.</li>
 * <li>{@code kv.put(key, value, version)} stores the value if {@code version} is the
 * key's current version (0 for a new key) and answers the new version; otherwise it fails
 * with {@value #VERSION_CONFLICT}, whose {@code code} is the current version as a decimal
 * string ({@code "0"} when the key does not exist), so the caller can read again or retry
 * without another round trip.</li>
 * <li>{@code kv.watch(fn)} calls {@code fn({"key":…,"value":…,"version":…})} for every
 * accepted put, until the caller's connection closes (or it falls
 * {@code sample.kv.watch-queue-capacity} puts behind and is dropped).</li>
 * </ul>
 * Keys are strings of 1 to {@value #MAX_KEY_LENGTH} characters, values strings of at most
 * {@value #MAX_VALUE_BYTES} bytes in UTF-8, versions whole numbers from 0; anything else
 * fails with {@code argumentError}. Reads and watches need no authentication; writes do
 * unless {@code sample.kv.authenticated-writes} is {@code false}.
 *
 * <p>
 * The methods are registered with {@link KiteMethodRegistry} rather than declared with
 * {@code @KiteMethod}, because whether {@code kv.put} requires authentication is a
 * setting, and {@code kv.watch} needs the caller's {@link KiteSession} to end the watch
 * with the connection.
 *
 * <p>
 * Thread safety: stateless apart from the {@link KvStore} and {@link KvWatchers}, which
 * are thread safe; calls arrive on the kite executor, several at once.
 */
public class KvKite {

	/** The error type of {@code kv.get} for a key that was never put. */
	public static final String KEY_NOT_FOUND = "keyNotFound";

	/**
	 * The error type of {@code kv.put} when the version is not the current one; the
	 * error's {@code code} is the current version.
	 */
	public static final String VERSION_CONFLICT = "versionConflict";

	/** The longest key, in characters (code points). */
	public static final int MAX_KEY_LENGTH = 256;

	/** The largest value, in UTF-8 bytes (64 KiB). */
	public static final int MAX_VALUE_BYTES = 64 * 1024;

	private final KvStore store;

	private final KvWatchers watchers;

	/**
	 * @param store the data
	 * @param watchers the watchers the store's accepted puts are published to
	 */
	public KvKite(KvStore store, KvWatchers watchers) {
		this.store = store;
		this.watchers = watchers;
	}

	/**
	 * Registers {@code kv.get}, {@code kv.put} and {@code kv.watch}.
	 * @param registry the registry of the app's kite endpoint
	 * @param authenticatedWrites whether {@code kv.put} requires authentication
	 */
	public void register(KiteMethodRegistry registry, boolean authenticatedWrites) {
		registry.register(new KiteMethodDefinition("kv.get", this::get, false, "KvKite.get"));
		registry.register(new KiteMethodDefinition("kv.put", this::put, authenticatedWrites, "KvKite.put"));
		registry.register(new KiteMethodDefinition("kv.watch", this::watch, false, "KvKite.watch"));
	}

	private KvValue get(KiteInvocation invocation) {
		String key = key(invocation);
		return this.store.get(key)
			.orElseThrow(() -> new KiteException(KEY_NOT_FOUND, "No value for key '" + key + "'"));
	}

	private long put(KiteInvocation invocation) {
		String key = key(invocation);
		String value = value(invocation);
		long version = version(invocation);
		try {
			return this.store.put(key, value, version);
		}
		catch (KvVersionConflictException ex) {
			throw new KiteException(VERSION_CONFLICT, ex.getMessage(), Long.toString(ex.currentVersion()));
		}
	}

	private @Nullable Object watch(KiteInvocation invocation) {
		RemoteCallback callback = DnodeTrees.callbackAt(invocation.argument(0));
		if (callback == null) {
			throw argumentError("Argument 0 of kv.watch must be a function");
		}
		KiteSession session = invocation.session();
		Runnable unwatch = this.watchers.add(callback, session.toString());
		session.onClose(unwatch);
		return null;
	}

	private static String key(KiteInvocation invocation) {
		JsonNode node = invocation.argument(0);
		if (node == null || !node.isString()) {
			throw argumentError("Argument 0 (key) must be a string");
		}
		String key = node.stringValue();
		int length = key.codePointCount(0, key.length());
		if (length == 0 || length > MAX_KEY_LENGTH) {
			throw argumentError("A key must have 1 to " + MAX_KEY_LENGTH + " characters, not " + length);
		}
		return key;
	}

	private static String value(KiteInvocation invocation) {
		JsonNode node = invocation.argument(1);
		if (node == null || !node.isString()) {
			throw argumentError("Argument 1 (value) must be a string");
		}
		String value = node.stringValue();
		// Cheap bound first: a UTF-8 character takes at most 3 bytes per UTF-16 unit.
		if (value.length() > MAX_VALUE_BYTES / 3) {
			int bytes = value.getBytes(StandardCharsets.UTF_8).length;
			if (bytes > MAX_VALUE_BYTES) {
				throw argumentError("A value must have at most " + MAX_VALUE_BYTES + " bytes in UTF-8, not " + bytes);
			}
		}
		return value;
	}

	private static long version(KiteInvocation invocation) {
		JsonNode node = invocation.argument(2);
		// JavaScript numbers are doubles: 3.0 is version 3, 3.5 is no version.
		if (node == null || !node.isNumber() || !node.canConvertToExactIntegral() || !node.canConvertToLong()
				|| node.asLong() < 0) {
			throw argumentError("Argument 2 (version) must be a whole number from 0");
		}
		return node.asLong();
	}

	private static KiteException argumentError(String message) {
		return new KiteException(KiteErrorTypes.ARGUMENT_ERROR, message);
	}

}
