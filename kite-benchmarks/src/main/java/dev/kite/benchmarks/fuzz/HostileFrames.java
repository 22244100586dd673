package dev.kite.benchmarks.fuzz;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Malformed and hostile dnode frames from a seed, each with what the server must do with
 * it: <em>answer</em> it exactly once (the frame is a call whose {@code responseCallback}
 * is a function at a path the server resolves, whatever else is wrong with it) or
 * <em>drop</em> it (no reply at all). The same seed gives the same frames, so a failure
 * reproduces from the seed a report prints.
 *
 * <p>
 * What it generates: random JSON values; truncated and unbalanced JSON; 10,000-deep
 * nesting; huge arrays; wrong types in every place of the envelope ({@code method},
 * {@code arguments}, {@code callbacks}, {@code kite}, {@code authentication},
 * {@code withArgs}, extra arguments); callback paths that point anywhere; numeric methods
 * (callback ids the server never issued); lone and reversed surrogates (JSON escapes) in
 * method names, keys and values; calls without a usable {@code responseCallback}; and
 * plain valid calls. Frames over the server's size limit are not generated here: they
 * close their connection ({@link Fuzzer} sends them on connections of their own).
 *
 * <p>
 * Not thread-safe: one generator per sending thread.
 */
public final class HostileFrames {

	/** What the server must do with a frame. */
	public enum Expect {

		/** Exactly one reply, to the frame's callback id. */
		ANSWERED,

		/** No reply; the connection stays open. */
		DROPPED

	}

	/**
	 * One generated frame.
	 *
	 * @param text the frame
	 * @param expect what the server must do with it
	 * @param callbackId the callback id the frame names (a reply to an answered frame
	 * must carry it; a dropped frame may name it too), or -1 when it names none
	 * @param kind which generator made it, for reports
	 * @param functions the ids of the functions (other than the responseCallback) the
	 * frame gives the server: the server may pass them on (e.g. {@code echo} returns one)
	 * and call them when the peer calls what it passed on
	 */
	public record Frame(String text, Expect expect, long callbackId, String kind, Set<Long> functions) {

		/**
		 * A frame that gives the server no function but its responseCallback.
		 * @param text the frame
		 * @param expect what the server must do with it
		 * @param callbackId the callback id the frame names, or -1
		 * @param kind which generator made it
		 */
		public Frame(String text, Expect expect, long callbackId, String kind) {
			this(text, expect, callbackId, kind, Set.of());
		}

	}

	/** Methods the fuzz server knows (and some it refuses without authentication). */
	private static final List<String> METHODS = List.of("square", "echo", "kite.ping", "kite.heartbeat",
			"kite.systemInfo", "kite.log", "kite.print", "");

	/**
	 * Keys that mean something somewhere in a kite frame ({@code callbacks} left out).
	 */
	private static final List<String> KEYS = List.of("method", "arguments", "kite", "authentication", "withArgs",
			"responseCallback", "links", "error", "result", "type", "key", "name", "__proto__", "constructor", "0", "",
			"\ud800", "\udfff\ud800");

	private static final List<String> STRINGS = List.of("", "[Function]", "kiteKey", "token", "\ud800", "\udc00",
			"\udbff\udbff", "a\udfffb", "\ud83d\ude00", "\u0000\u001f", "\\", "\"", "\u2028\u2029", "\ufeff", "\u0660",
			"null", "-0", "1e309", "%s%n", "${jndi:ldap://x}", "<script>");

	private static final List<String> NUMBERS = List.of("0", "-0", "1", "-1", "0.5", "1e308", "-1e308", "1e-400",
			"1e400", "9007199254740993", "18446744073709551616", "123456789012345678901234567890123456789",
			"2147483648", "-9223372036854775809", "4.9e-324", "1E+2");

	private final SplittableRandom random;

	private long nextCallbackId;

	/**
	 * @param seed the seed; the same seed gives the same frames
	 */
	public HostileFrames(long seed) {
		this.random = new SplittableRandom(seed);
	}

	/**
	 * The next frame.
	 * @return a frame
	 */
	public Frame next() {
		int pick = this.random.nextInt(1000);
		if (pick < 60) {
			return validCall();
		}
		if (pick < 260) {
			return wrongEnvelope();
		}
		if (pick < 420) {
			return callbackPathsAnywhere();
		}
		if (pick < 520) {
			return loneSurrogates();
		}
		if (pick < 525) {
			return hugeArray();
		}
		if (pick < 540) {
			return deepNesting();
		}
		if (pick < 640) {
			return randomJson();
		}
		if (pick < 740) {
			return brokenJson();
		}
		if (pick < 850) {
			return wrongMethod();
		}
		if (pick < 950) {
			return noResponder();
		}
		return wrongArguments();
	}

	/**
	 * A valid {@code square(n)} call.
	 * @param id the callback id of its {@code responseCallback}
	 * @param n the number
	 * @return the frame's text
	 */
	public static String squareCall(long id, int n) {
		return "{\"method\":\"square\",\"arguments\":[{\"kite\":{\"name\":\"fuzz\"},\"withArgs\":[" + n
				+ "],\"responseCallback\":\"[Function]\"}],\"callbacks\":{\"" + id
				+ "\":[0,\"responseCallback\"]},\"links\":[]}";
	}

	private Frame validCall() {
		long id = this.nextCallbackId++;
		return new Frame(squareCall(id, this.random.nextInt(-1000, 1000)), Expect.ANSWERED, id, "valid");
	}

	/**
	 * A call with a usable responseCallback and wrong types (or extra keys) in the rest
	 * of the envelope, sometimes extra arguments after it.
	 */
	private Frame wrongEnvelope() {
		long id = this.nextCallbackId++;
		StringBuilder envelope = new StringBuilder("{");
		field(envelope, "kite", chance(2) ? randomValue(3) : "{\"name\":\"fuzz\",\"id\":" + randomValue(1) + "}");
		envelope.append(',');
		field(envelope, "authentication",
				chance(2) ? randomValue(3) : "{\"type\":" + randomValue(1) + ",\"key\":" + randomValue(1) + "}");
		envelope.append(',');
		field(envelope, "withArgs", randomValue(4));
		for (int i = this.random.nextInt(3); i > 0; i--) {
			envelope.append(',');
			// A duplicate responseCallback is harmless: the real one comes last and wins.
			field(envelope, randomKey(), randomValue(2));
		}
		envelope.append(",\"responseCallback\":\"[Function]\"}");
		StringBuilder arguments = new StringBuilder("[").append(envelope);
		if (chance(5)) {
			arguments.append(',').append(randomValue(2));
		}
		arguments.append(']');
		return new Frame(call(quote(method()), arguments.toString(), responseCallback(id)), Expect.ANSWERED, id,
				"wrongEnvelope");
	}

	/** A call with a usable responseCallback and more callbacks pointing anywhere. */
	private Frame callbackPathsAnywhere() {
		long id = this.nextCallbackId++;
		StringBuilder callbacks = new StringBuilder("{").append(responseCallback(id));
		Set<Long> functions = new HashSet<>();
		for (int i = this.random.nextInt(1, 8); i > 0; i--) {
			String otherId = otherCallbackId(id);
			callbacks.append(',').append(quote(otherId)).append(':');
			callbacks.append(chance(8) ? randomScalar() : otherPath());
			try {
				functions.add(Long.parseLong(otherId));
			}
			catch (NumberFormatException ex) {
				// not an id the server could call back
			}
		}
		callbacks.append('}');
		String envelope = "{\"kite\":{\"name\":\"fuzz\"},\"withArgs\":" + randomValue(3)
				+ ",\"responseCallback\":\"[Function]\"}";
		return new Frame(
				"{\"method\":" + quote(chance(2) ? "echo" : method()) + ",\"arguments\":[" + envelope
						+ "],\"callbacks\":" + callbacks + "}",
				Expect.ANSWERED, id, "callbackPaths", Set.copyOf(functions));
	}

	/** Lone and reversed surrogates in the method name, keys and values. */
	private Frame loneSurrogates() {
		long id = this.nextCallbackId++;
		String surrogates = surrogates();
		String method = chance(2) ? "echo" : surrogates;
		String withArgs = "[" + quote(surrogates) + ",{" + quote(surrogates) + ":" + quote(pick(STRINGS)) + "}]";
		String envelope = "{\"kite\":{\"name\":" + quote(surrogates) + "},\"withArgs\":" + withArgs
				+ ",\"responseCallback\":\"[Function]\"}";
		return new Frame(call(quote(method), "[" + envelope + "]", responseCallback(id)), Expect.ANSWERED, id,
				"loneSurrogates");
	}

	/** A call whose withArgs is an array of up to 100,000 elements (under 1 MiB). */
	private Frame hugeArray() {
		long id = this.nextCallbackId++;
		int size = this.random.nextInt(10_000, 100_001);
		StringBuilder array = new StringBuilder(size * 2 + 2).append('[');
		String element = chance(2) ? "0" : "[]";
		for (int i = 0; i < size; i++) {
			array.append((i > 0) ? "," : "").append(element);
		}
		array.append(']');
		String envelope = "{\"withArgs\":" + (chance(2) ? array : "[" + array + "]")
				+ ",\"responseCallback\":\"[Function]\"}";
		return new Frame(call(quote(chance(2) ? "square" : "echo"), "[" + envelope + "]", responseCallback(id)),
				Expect.ANSWERED, id, "hugeArray");
	}

	/**
	 * An otherwise answerable call nested 10,000 deep (or just over the parser's cap):
	 * the parser refuses it, so nobody answers.
	 */
	private Frame deepNesting() {
		int depth = chance(2) ? 10_000 : this.random.nextInt(260, 2000);
		String open = chance(2) ? "[" : "{\"a\":";
		String close = open.equals("[") ? "]" : "}";
		String nested = open.repeat(depth) + close.repeat(depth);
		String envelope = "{\"withArgs\":[" + nested + "],\"responseCallback\":\"[Function]\"}";
		long id = this.nextCallbackId++;
		return new Frame(call(quote("echo"), "[" + envelope + "]", responseCallback(id)), Expect.DROPPED, id,
				"deepNesting");
	}

	/** Any JSON value at all (never with a {@code callbacks} key, so never a call). */
	private Frame randomJson() {
		return new Frame(randomValue(5), Expect.DROPPED, -1, "randomJson");
	}

	/** Text that is not JSON: a valid call cut short, unbalanced or not JSON at all. */
	private Frame brokenJson() {
		long id = this.nextCallbackId++;
		String valid = squareCall(id, 4);
		String text = switch (this.random.nextInt(4)) {
			case 0 -> valid.substring(0, this.random.nextInt(valid.length()));
			case 1 -> "{".repeat(this.random.nextInt(1, 50));
			case 2 -> "}" + valid;
			default -> "\u0000" + quote(pick(STRINGS)) + "\u007f";
		};
		return new Frame(text, Expect.DROPPED, id, "brokenJson");
	}

	/**
	 * A {@code method} that is not a name: a number (a callback id the server never
	 * issued), a boolean, null, an object, an array, or no method at all.
	 */
	private Frame wrongMethod() {
		String method = switch (this.random.nextInt(4)) {
			// Far above any id the server issues (it counts from 0 per connection, and
			// issues ids when an echoed value holds a function).
			case 0 -> String.valueOf(this.random.nextLong(1L << 40, Long.MAX_VALUE));
			case 1 -> pick(List.of("-1", "-0.0", "0.5", "1e308", "1e400", "18446744073709551616",
					"123456789012345678901234567890123456789", "-9223372036854775809", "4.9e-324", "1E+2"));
			case 2 -> pick(List.of("true", "false", "null", "{}", "[]", "[\"square\"]", "{\"name\":\"square\"}"));
			default -> null;
		};
		String envelope = "{\"withArgs\":[1],\"responseCallback\":\"[Function]\"}";
		long id = this.nextCallbackId++;
		String callbacks = "{" + responseCallback(id) + "}";
		String text = (method != null)
				? "{\"method\":" + method + ",\"arguments\":[" + envelope + "],\"callbacks\":" + callbacks + "}"
				: "{\"arguments\":[" + envelope + "],\"callbacks\":" + callbacks + "}";
		return new Frame(text, Expect.DROPPED, id, "wrongMethod");
	}

	/**
	 * A call without a usable responseCallback: none in {@code callbacks}, a path to
	 * elsewhere, a path that is not an array, or an envelope that is not an object.
	 */
	private Frame noResponder() {
		long id = this.nextCallbackId++;
		String envelope = "{\"withArgs\":" + randomValue(2) + ",\"responseCallback\":\"[Function]\"}";
		String arguments = "[" + envelope + "]";
		String callbacks = switch (this.random.nextInt(5)) {
			case 0 -> "{}";
			case 1 -> "{\"" + id + "\":" + otherPath() + "}";
			case 2 -> "{\"" + id + "\":" + pick(List.of("\"0\"", "0", "{}", "null", "[]", "[[0]]")) + "}";
			case 3 -> "{\"" + pick(List.of("x", "1.5", "1e3", "99999999999999999999999", "")) + "\":"
					+ responseCallbackPath() + "}";
			default -> {
				arguments = "[" + randomScalar() + "," + envelope + "]";
				yield "{\"" + id + "\":" + responseCallbackPath() + "}";
			}
		};
		return new Frame(call(quote(method()), arguments, callbacks.substring(1, callbacks.length() - 1)),
				Expect.DROPPED, id, "noResponder");
	}

	/** {@code arguments} that is not an array: the frame is not a dnode message. */
	private Frame wrongArguments() {
		String arguments = switch (this.random.nextInt(3)) {
			case 0 -> "{\"0\":{\"responseCallback\":\"[Function]\"}}";
			case 1 -> randomScalar();
			default -> "{\"responseCallback\":\"[Function]\"}";
		};
		if (arguments.equals("null")) {
			arguments = "\"null\"";
		}
		long id = this.nextCallbackId++;
		return new Frame(call(quote("square"), arguments, responseCallback(id)), Expect.DROPPED, id, "wrongArguments");
	}

	private static String call(String method, String arguments, String callbackEntries) {
		return "{\"method\":" + method + ",\"arguments\":" + arguments + ",\"callbacks\":{" + callbackEntries
				+ "},\"links\":[]}";
	}

	/** The {@code callbacks} entry naming the envelope's responseCallback. */
	private String responseCallback(long id) {
		return "\"" + id + "\":" + responseCallbackPath();
	}

	/** Go's numeric index or kite.js's string index. */
	private String responseCallbackPath() {
		return chance(2) ? "[0,\"responseCallback\"]" : "[\"0\",\"responseCallback\"]";
	}

	/**
	 * A path that does not address the envelope or its responseCallback: anything at all
	 * that does not start with an index of 0, or anything at least three steps long.
	 */
	private String otherPath() {
		int length = this.random.nextInt(0, 6);
		StringBuilder path = new StringBuilder("[");
		boolean fromEnvelope = length >= 3 && chance(2);
		for (int i = 0; i < length; i++) {
			if (i > 0) {
				path.append(',');
			}
			if (i == 0) {
				path.append(fromEnvelope ? pick(List.of("0", "\"0\"", "\"00\"")) : pick(List.of("1", "2", "-1", "\"1\"",
						"\"x\"", "2147483648", "0.5", "null", "true", "[0]", "{}", "\"responseCallback\"", "\"\"")));
			}
			else {
				path.append(pick(List.of("0", "1", "\"0\"", "-1", "\"responseCallback\"", "\"withArgs\"", "\"kite\"",
						"\"name\"", "\"authentication\"", "null", "[]", "99999999999", "\"\\ud800\"")));
			}
		}
		return path.append(']').toString();
	}

	/** A callback id key other than {@code id}, often not a number at all. */
	private String otherCallbackId(long id) {
		return switch (this.random.nextInt(4)) {
			case 0 -> String.valueOf(id + 1 + this.random.nextInt(1_000_000));
			case 1 -> pick(List.of("x", "-1", "1.5", "1e3", "99999999999999999999999", "", " 1", "\ud800"));
			case 2 -> String.valueOf(Long.MAX_VALUE - this.random.nextInt(10));
			default -> "-" + this.random.nextInt(1_000_000);
		};
	}

	private String method() {
		return switch (this.random.nextInt(4)) {
			case 0 -> pick(STRINGS);
			case 1 -> surrogates();
			default -> pick(METHODS);
		};
	}

	private String surrogates() {
		StringBuilder text = new StringBuilder();
		for (int i = this.random.nextInt(1, 4); i > 0; i--) {
			text.append(pick(List.of("x", "\ud800", "\udbff", "\udc00", "\udfff", "\udc00\ud800", "\ud83d\ude00")));
		}
		return text.toString();
	}

	private String randomKey() {
		return chance(3) ? surrogates() : pick(KEYS);
	}

	private String randomScalar() {
		return switch (this.random.nextInt(4)) {
			case 0 -> "null";
			case 1 -> chance(2) ? "true" : "false";
			case 2 -> pick(NUMBERS);
			default -> quote(pick(STRINGS));
		};
	}

	/**
	 * Any JSON value up to {@code depth} levels deep (objects never have "callbacks").
	 */
	private String randomValue(int depth) {
		int kind = this.random.nextInt((depth > 0) ? 6 : 4);
		if (kind < 4) {
			return randomScalar();
		}
		StringBuilder value = new StringBuilder();
		int size = this.random.nextInt(0, 5);
		if (kind == 4) {
			value.append('[');
			for (int i = 0; i < size; i++) {
				value.append((i > 0) ? "," : "").append(randomValue(depth - 1));
			}
			return value.append(']').toString();
		}
		value.append('{');
		for (int i = 0; i < size; i++) {
			if (i > 0) {
				value.append(',');
			}
			field(value, randomKey(), randomValue(depth - 1));
		}
		return value.append('}').toString();
	}

	private static void field(StringBuilder object, String key, String json) {
		object.append(quote(key)).append(':').append(json);
	}

	/**
	 * A JSON string: quotes, backslashes, control characters and every surrogate escaped,
	 * so the frame itself is well-formed UTF-16 (a WebSocket client cannot send a lone
	 * surrogate raw) and the lone ones reach the server's parser.
	 */
	static String quote(String text) {
		StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				quoted.append('\\').append(c);
			}
			else if (c < 0x20 || Character.isSurrogate(c)) {
				quoted.append(String.format("\\u%04x", (int) c));
			}
			else {
				quoted.append(c);
			}
		}
		return quoted.append('"').toString();
	}

	private boolean chance(int oneIn) {
		return this.random.nextInt(oneIn) == 0;
	}

	private <T> T pick(List<T> values) {
		return values.get(this.random.nextInt(values.size()));
	}

}
