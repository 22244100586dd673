package dev.kite.protocol;

import org.jspecify.annotations.Nullable;

/**
 * A value a peer controls (a kite name, a method name, a username, a message), made safe
 * to put into a log line: CR, LF and every other control character are escaped, and a
 * very long value is cut. Without it, a caller named {@code "x\n... ERROR ..."} forges a
 * log line of its own.
 *
 * <p>
 * Use it for every logged value that came off the wire, e.g. {@code logger.warn("Refusing
 * '{}'", LogSafe.of(method))}. The escaping runs only when the logger actually formats
 * the line ({@link #toString()}), so disabled debug statements cost an allocation and
 * nothing more.
 *
 * <p>
 * Thread safety: immutable.
 */
public final class LogSafe {

	/** Values longer than this many characters are cut; a log line is not a data dump. */
	public static final int MAX_LENGTH = 256;

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private final @Nullable Object value;

	private final int maxLength;

	private LogSafe(@Nullable Object value, int maxLength) {
		this.value = value;
		this.maxLength = maxLength;
	}

	/**
	 * Wraps a value for a log statement.
	 * @param value the value (its {@code toString()} is escaped); {@code null} prints
	 * {@code null}
	 * @return a wrapper whose {@code toString()} is the escaped text
	 */
	public static LogSafe of(@Nullable Object value) {
		return new LogSafe(value, MAX_LENGTH);
	}

	/**
	 * Wraps a value that may be longer than {@link #MAX_LENGTH} and still deserves to be
	 * kept (e.g. a message a peer asked us to log).
	 * @param value the value; {@code null} prints {@code null}
	 * @param maxLength how many characters are kept
	 * @return a wrapper whose {@code toString()} is the escaped text
	 */
	public static LogSafe of(@Nullable Object value, int maxLength) {
		return new LogSafe(value, maxLength);
	}

	/**
	 * Escapes a text: {@code \r}, {@code \n} and {@code \t} as those two-character
	 * escapes, a backslash doubled (so an escape can't be faked), other control
	 * characters and Unicode line and paragraph separators as {@code \}{@code uXXXX}; cut
	 * after {@link #MAX_LENGTH} characters with a note of how many were left out.
	 * @param text the text, or {@code null}
	 * @return the text, safe for one log line
	 */
	public static String escape(@Nullable String text) {
		return escape(text, MAX_LENGTH);
	}

	private static String escape(@Nullable String text, int maxLength) {
		if (text == null) {
			return "null";
		}
		int length = Math.min(text.length(), maxLength);
		int first = 0;
		while (first < length && !needsEscape(text.charAt(first))) {
			first++;
		}
		if (first == text.length()) {
			return text; // the common case: nothing to do
		}
		StringBuilder escaped = new StringBuilder(length + 16).append(text, 0, first);
		for (int i = first; i < length; i++) {
			char c = text.charAt(i);
			switch (c) {
				case '\n' -> escaped.append("\\n");
				case '\r' -> escaped.append("\\r");
				case '\t' -> escaped.append("\\t");
				case '\\' -> escaped.append("\\\\");
				default -> {
					if (needsEscape(c)) {
						escaped.append("\\u")
							.append(HEX[(c >> 12) & 0xF])
							.append(HEX[(c >> 8) & 0xF])
							.append(HEX[(c >> 4) & 0xF])
							.append(HEX[c & 0xF]);
					}
					else {
						escaped.append(c);
					}
				}
			}
		}
		if (text.length() > length) {
			escaped.append("...(").append(text.length() - length).append(" more characters)");
		}
		return escaped.toString();
	}

	private static boolean needsEscape(char c) {
		return c < 0x20 || c == '\\' || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
	}

	@Override
	public String toString() {
		return escape((this.value != null) ? this.value.toString() : null, this.maxLength);
	}

}
