package dev.kite.protocol;

/**
 * Text a peer sent that goes back onto the wire, e.g. a method name echoed in a
 * {@code methodNotFound} message.
 *
 * <p>
 * A Java string may hold a lone UTF-16 surrogate (JSON's {@code "\ud800"} decodes to
 * one); such a string has no UTF-8 form, so a frame carrying it cannot be sent and the
 * transport closes the session with a reason that has nothing to do with the call. Go
 * decodes the same escape to U+FFFD; so does {@link #wellFormed(String)}.
 *
 * <p>
 * Thread safety: stateless.
 */
public final class WireText {

	private static final char REPLACEMENT = '\uFFFD';

	private WireText() {
	}

	/**
	 * Replaces every lone surrogate with U+FFFD, as Go's JSON decoder does.
	 * @param text any text
	 * @return the same instance when it is well-formed UTF-16, otherwise a repaired copy
	 */
	public static String wellFormed(String text) {
		int length = text.length();
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (Character.isSurrogate(c)) {
				if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
					i++;
					continue;
				}
				return repair(text, i);
			}
		}
		return text;
	}

	private static String repair(String text, int from) {
		StringBuilder result = new StringBuilder(text.length()).append(text, 0, from);
		int length = text.length();
		for (int i = from; i < length; i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
				result.append(c).append(text.charAt(++i));
			}
			else {
				result.append(Character.isSurrogate(c) ? REPLACEMENT : c);
			}
		}
		return result.toString();
	}

}
