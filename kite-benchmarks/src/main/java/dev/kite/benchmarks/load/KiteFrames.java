package dev.kite.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pre-encoded kite requests and a cheap scan of replies in their UTF-8 bytes. A request
 * is built once per slot: slot {@code k} always asks for its answer on callback id
 * {@code k}, so the reply (a dnode message whose {@code method} is the number {@code k})
 * names the slot it answers. Replies are never parsed into a tree: the scan finds the
 * numeric {@code method} and whether the response's {@code error} is {@code null}, in
 * Go's key order ({@code method} first) as well as kite.js's ({@code method} last).
 *
 * <p>
 * Stateless; safe for any thread.
 */
final class KiteFrames {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final byte[] RAW_METHOD = ascii("\"method\":");

	private static final byte[] RAW_ERROR = ascii("\"error\":");

	private static final byte[] ESCAPED_METHOD = ascii("\\\"method\\\":");

	private static final byte[] ESCAPED_ERROR = ascii("\\\"error\\\":");

	private KiteFrames() {
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * The caller's identity, sent as the envelope's {@code kite} (PROTOCOL §3.1: the
	 * first request's identity is the connection's).
	 * @return the JSON object, with a fresh id
	 */
	static String kite() {
		return "{\"username\":\"bench\",\"environment\":\"bench\",\"name\":\"kite-benchmarks\",\"version\":\"1.0.0\","
				+ "\"region\":\"bench\",\"hostname\":\"localhost\",\"id\":\"" + UUID.randomUUID() + "\"}";
	}

	/**
	 * The envelope's {@code authentication}.
	 * @param type {@code kiteKey} or {@code token}
	 * @param key the JWT
	 * @return the JSON object
	 */
	static String authentication(String type, String key) {
		return "{\"type\":" + quote(type) + ",\"key\":" + quote(key) + "}";
	}

	/**
	 * One kite call as a dnode message (Go's shape, PROTOCOL §3.1), its response callback
	 * at {@code callbackId}.
	 * @param method the kite method
	 * @param argsJson {@code withArgs}: a JSON array
	 * @param kite the caller's identity ({@link #kite()})
	 * @param authentication the {@code authentication} object, or {@code null} to leave
	 * the key out (as kite.js does without auth)
	 * @param callbackId the callback id
	 * @return the dnode JSON
	 */
	static String request(String method, String argsJson, String kite, @Nullable String authentication,
			int callbackId) {
		return "{\"method\":" + quote(method) + ",\"arguments\":[{\"kite\":" + kite
				+ ((authentication != null) ? ",\"authentication\":" + authentication : "")
				+ ",\"responseCallback\":\"[Function]\",\"withArgs\":" + argsJson + "}],\"callbacks\":{\"" + callbackId
				+ "\":[0,\"responseCallback\"]},\"links\":[]}";
	}

	/**
	 * A JSON string literal: how a dnode message travels inside a SockJS array.
	 * @param text the text
	 * @return the quoted text
	 */
	static String quote(String text) {
		return json.writeValueAsString(text);
	}

	/**
	 * Scans one bare dnode message (raw WebSocket) in its UTF-8 bytes.
	 * @param message the bytes holding it
	 * @param from its start
	 * @param to its end
	 * @param replies told about a reply
	 */
	static void scanMessage(byte[] message, int from, int to, Replies replies) {
		scan(message, from, to, RAW_METHOD, RAW_ERROR, replies);
	}

	/**
	 * Scans a SockJS frame's messages in its UTF-8 bytes: {@code a["…","…"]} or
	 * {@code m"…"}; each element is a JSON string holding one dnode message, scanned
	 * without unescaping (or decoding) it.
	 * @param frame the bytes holding the frame, which starts with {@code a} or {@code m}
	 * @param from its start
	 * @param to its end
	 * @param replies told about each reply
	 * @return whether the frame was well formed
	 */
	static boolean scanSockJs(byte[] frame, int from, int to, Replies replies) {
		int i = from + ((frame[from] == 'a') ? 2 : 1);
		if (frame[from] == 'a' && (to - from < 2 || frame[from + 1] != '[')) {
			return false;
		}
		while (i < to && frame[i] == '"') {
			int end = i + 1;
			while (end < to && frame[end] != '"') {
				end += (frame[end] == '\\') ? 2 : 1;
			}
			if (end >= to) {
				return false;
			}
			scan(frame, i + 1, end, ESCAPED_METHOD, ESCAPED_ERROR, replies);
			i = end + 1;
			if (i < to && frame[i] == ',') {
				i++;
			}
		}
		return true;
	}

	private static void scan(byte[] text, int from, int to, byte[] methodKey, byte[] errorKey, Replies replies) {
		int method = indexOf(text, methodKey, from, to);
		if (method < 0) {
			return;
		}
		int digit = method + methodKey.length;
		int id = 0;
		int digits = 0;
		while (digit < to && text[digit] >= '0' && text[digit] <= '9') {
			id = id * 10 + (text[digit++] - '0');
			digits++;
		}
		if (digits == 0 || digits > 9) {
			// A string method: the peer calls us (e.g. kite.heartbeat); not a reply.
			return;
		}
		int error = indexOf(text, errorKey, from, to);
		int value = error + errorKey.length;
		boolean failed = error < 0 || value + 4 > to || text[value] != 'n' || text[value + 1] != 'u'
				|| text[value + 2] != 'l' || text[value + 3] != 'l';
		replies.reply(id, failed);
	}

	/** Where {@code key} starts in {@code text[from, to)}, or -1. */
	private static int indexOf(byte[] text, byte[] key, int from, int to) {
		byte first = key[0];
		int last = to - key.length;
		outer: for (int i = from; i <= last; i++) {
			if (text[i] != first) {
				continue;
			}
			for (int k = 1; k < key.length; k++) {
				if (text[i + k] != key[k]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/** Told about each reply a scan finds. */
	@FunctionalInterface
	interface Replies {

		/**
		 * @param callbackId the reply's {@code method}: the slot it answers
		 * @param error whether its {@code error} is not {@code null} (or missing)
		 */
		void reply(int callbackId, boolean error);

	}

}
