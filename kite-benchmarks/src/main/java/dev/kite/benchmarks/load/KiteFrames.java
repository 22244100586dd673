package dev.kite.benchmarks.load;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pre-encoded kite requests and a cheap scan of replies. A request is built once per
 * slot: slot {@code k} always asks for its answer on callback id {@code k}, so the reply
 * (a dnode message whose {@code method} is the number {@code k}) names the slot it
 * answers. Replies are never parsed into a tree: the scan finds the numeric
 * {@code method} and whether the response's {@code error} is {@code null}, in Go's key
 * order ({@code method} first) as well as kite.js's ({@code method} last).
 *
 * <p>
 * Stateless; safe for any thread.
 */
final class KiteFrames {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String RAW_METHOD = "\"method\":";

	private static final String RAW_ERROR = "\"error\":";

	private static final String ESCAPED_METHOD = "\\\"method\\\":";

	private static final String ESCAPED_ERROR = "\\\"error\\\":";

	private KiteFrames() {
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
	 * Scans one bare dnode message (raw WebSocket).
	 * @param message the message
	 * @param replies told about a reply
	 */
	static void scanMessage(String message, Replies replies) {
		scan(message, 0, message.length(), RAW_METHOD, RAW_ERROR, replies);
	}

	/**
	 * Scans a SockJS frame's messages: {@code a["…","…"]} or {@code m"…"}; each element
	 * is a JSON string holding one dnode message, scanned without unescaping it.
	 * @param frame the frame, starting with {@code a} or {@code m}
	 * @param replies told about each reply
	 * @return whether the frame was well formed
	 */
	static boolean scanSockJs(String frame, Replies replies) {
		int length = frame.length();
		int i = (frame.charAt(0) == 'a') ? 2 : 1;
		if (i == 2 && (length < 2 || frame.charAt(1) != '[')) {
			return false;
		}
		while (i < length && frame.charAt(i) == '"') {
			int end = i + 1;
			while (end < length && frame.charAt(end) != '"') {
				end += (frame.charAt(end) == '\\') ? 2 : 1;
			}
			if (end >= length) {
				return false;
			}
			scan(frame, i + 1, end, ESCAPED_METHOD, ESCAPED_ERROR, replies);
			i = end + 1;
			if (i < length && frame.charAt(i) == ',') {
				i++;
			}
		}
		return true;
	}

	private static void scan(String text, int from, int to, String methodKey, String errorKey, Replies replies) {
		int method = text.indexOf(methodKey, from);
		if (method < 0 || method >= to) {
			return;
		}
		int digit = method + methodKey.length();
		int id = 0;
		int digits = 0;
		while (digit < to && Character.isDigit(text.charAt(digit))) {
			id = id * 10 + (text.charAt(digit++) - '0');
			digits++;
		}
		if (digits == 0 || digits > 9) {
			// A string method: the peer calls us (e.g. kite.heartbeat); not a reply.
			return;
		}
		int error = text.indexOf(errorKey, from);
		boolean failed = error < 0 || error >= to || !text.startsWith("null", error + errorKey.length());
		replies.reply(id, failed);
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
