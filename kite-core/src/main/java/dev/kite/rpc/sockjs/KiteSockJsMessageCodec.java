package dev.kite.rpc.sockjs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import org.springframework.web.socket.sockjs.frame.JacksonJsonSockJsMessageCodec;
import org.springframework.web.socket.sockjs.frame.SockJsMessageCodec;

/**
 * A SockJS message codec that makes one pass over a frame each way, where Spring's
 * {@link JacksonJsonSockJsMessageCodec} binds a {@code String[]} with a full object
 * mapper to decode and quotes, then escapes again, to encode.
 *
 * <p>
 * Encoding writes {@code a["..."]} into one buffer sized up front, escaping exactly what
 * Spring does, so frames are byte-for-byte the ones Spring would send (sockjs-client in
 * kite.js and Go's sockjs-go accept them): JSON's own escapes ({@code \"}, {@code \\},
 * <code>&#92;b</code>, {@code \t}, {@code \n}, {@code \f}, {@code \r}, other C0 controls
 * as <code>&#92;u00XX</code> with upper-case hex, as Jackson writes them) and the
 * characters the SockJS protocol has servers escape ({@code U+200C-200F},
 * {@code U+2028-202F}, {@code U+2060-206F}, {@code U+FFF0-FFFF} and every surrogate) as
 * <code>&#92;uxxxx</code> with lower-case hex, as Spring writes them.
 *
 * <p>
 * Decoding reads the common frame, a JSON array of strings, by hand. Anything else (the
 * JSON {@code null}, numbers or {@code null} in the array, comments, trailing tokens, a
 * byte order mark, UTF-16 or malformed UTF-8, syntax errors) is handed to Spring's
 * Jackson codec, so such input gets exactly Spring's result or exception.
 *
 * <p>
 * Threads: stateless; any thread may use one instance at any time.
 */
public class KiteSockJsMessageCodec implements SockJsMessageCodec {

	private static final char[] LOWER_HEX = "0123456789abcdef".toCharArray();

	private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

	private final SockJsMessageCodec fallback;

	/**
	 * Creates a codec whose unusual input goes to a default Spring Jackson codec.
	 */
	public KiteSockJsMessageCodec() {
		this(new JacksonJsonSockJsMessageCodec());
	}

	/**
	 * Creates a codec whose unusual input goes to the given codec.
	 * @param fallback decodes what the hand-written reader does not take
	 */
	public KiteSockJsMessageCodec(SockJsMessageCodec fallback) {
		Assert.notNull(fallback, "SockJsMessageCodec must not be null");
		this.fallback = fallback;
	}

	@Override
	public String encode(String... messages) {
		Assert.notNull(messages, "messages must not be null");
		int capacity = 3;
		for (String message : messages) {
			// Most payloads need no escape: size for that, plus a little.
			capacity += message.length() + 3 + (message.length() >> 4);
		}
		StringBuilder frame = new StringBuilder(capacity);
		frame.append("a[");
		for (int i = 0; i < messages.length; i++) {
			if (i > 0) {
				frame.append(',');
			}
			appendQuoted(frame, messages[i]);
		}
		return frame.append(']').toString();
	}

	private static void appendQuoted(StringBuilder frame, String message) {
		frame.append('"');
		int length = message.length();
		int plain = 0;
		for (int i = 0; i < length; i++) {
			char c = message.charAt(i);
			if (c >= 0x20 && c != '"' && c != '\\' && !isSockJsSpecial(c)) {
				continue;
			}
			// Copy the unescaped run in one go.
			frame.append(message, plain, i);
			plain = i + 1;
			switch (c) {
				case '"' -> frame.append("\\\"");
				case '\\' -> frame.append("\\\\");
				case '\b' -> frame.append("\\b");
				case '\t' -> frame.append("\\t");
				case '\n' -> frame.append("\\n");
				case '\f' -> frame.append("\\f");
				case '\r' -> frame.append("\\r");
				default -> appendUnicodeEscape(frame, c, (c < 0x20) ? UPPER_HEX : LOWER_HEX);
			}
		}
		frame.append(message, plain, length);
		frame.append('"');
	}

	private static void appendUnicodeEscape(StringBuilder frame, char c, char[] hex) {
		frame.append('\\')
			.append('u')
			.append(hex[(c >> 12) & 0xF])
			.append(hex[(c >> 8) & 0xF])
			.append(hex[(c >> 4) & 0xF])
			.append(hex[c & 0xF]);
	}

	/**
	 * The ranges of the {@code escapable_by_server} variable in the SockJS protocol test
	 * suite, C0 controls aside (JSON escapes those).
	 */
	private static boolean isSockJsSpecial(char c) {
		return (c >= '\u200C' && c <= '\u200F') || (c >= '\u2028' && c <= '\u202F') || (c >= '\u2060' && c <= '\u206F')
				|| (c >= '\uFFF0') || (c >= '\uD800' && c <= '\uDFFF');
	}

	@Override
	public String @Nullable [] decode(String content) throws IOException {
		String[] messages = new FrameReader(content).read();
		return (messages != null) ? messages : this.fallback.decode(content);
	}

	@Override
	public String @Nullable [] decodeInputStream(InputStream content) throws IOException {
		return decode(content.readAllBytes());
	}

	/**
	 * Decodes a SockJS frame read as bytes, as {@link #decodeInputStream(InputStream)}
	 * does, without copying it into a stream first.
	 * @param content the frame's bytes
	 * @return the messages, or {@code null} for the JSON {@code null}
	 * @throws IOException as Spring's Jackson codec does for input that is not a frame
	 */
	public String @Nullable [] decode(byte[] content) throws IOException {
		String text = plainUtf8(content);
		String[] messages = (text != null) ? new FrameReader(text).read() : null;
		return (messages != null) ? messages : this.fallback.decodeInputStream(new ByteArrayInputStream(content));
	}

	/**
	 * The bytes as text when they are strict UTF-8 that Jackson would also read as UTF-8:
	 * no byte order mark, no zero byte in the first two (Jackson reads those as UTF-16 or
	 * UTF-32).
	 */
	private static @Nullable String plainUtf8(byte[] content) {
		if (content.length == 0) {
			return null;
		}
		int first = content[0] & 0xFF;
		if (first == 0 || first >= 0x80 || (content.length > 1 && content[1] == 0)) {
			return null;
		}
		try {
			CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(content));
			return chars.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	/**
	 * Reads {@code ws [ ws (string (ws , ws string)*)? ws ] ws} where whitespace is
	 * JSON's four characters and a string has no raw control character and only JSON's
	 * escapes; returns {@code null} for anything else, which the fallback then decides
	 * on.
	 */
	private static final class FrameReader {

		private static final String[] NONE = {};

		private final String text;

		private int position;

		FrameReader(String text) {
			this.text = text;
		}

		String @Nullable [] read() {
			skipWhitespace();
			if (!consume('[')) {
				return null;
			}
			skipWhitespace();
			String[] messages = NONE;
			int count = 0;
			if (!consume(']')) {
				while (true) {
					String message = readString();
					if (message == null) {
						return null;
					}
					if (count == messages.length) {
						messages = Arrays.copyOf(messages, (count == 0) ? 1 : count * 2);
					}
					messages[count++] = message;
					skipWhitespace();
					if (consume(']')) {
						break;
					}
					if (!consume(',')) {
						return null;
					}
					skipWhitespace();
				}
			}
			skipWhitespace();
			if (this.position != this.text.length()) {
				return null;
			}
			return (count == messages.length) ? messages : Arrays.copyOf(messages, count);
		}

		private @Nullable String readString() {
			if (!consume('"')) {
				return null;
			}
			String text = this.text;
			int length = text.length();
			int start = this.position;
			int i = start;
			// The common case: no escape, one substring.
			while (i < length) {
				char c = text.charAt(i);
				if (c == '"') {
					this.position = i + 1;
					return text.substring(start, i);
				}
				if (c == '\\') {
					break;
				}
				if (c < 0x20) {
					return null;
				}
				i++;
			}
			if (i >= length) {
				return null;
			}
			// Sized for the rest of the frame (the value is never longer): a builder
			// grown char by char cost more than the rest of the decoding (profiled: a
			// frame carrying a kite key, whose quotes SockJS escapes, is always here).
			StringBuilder value = new StringBuilder(length - start);
			value.append(text, start, i);
			while (i < length) {
				int run = i;
				char c = text.charAt(run);
				while (c != '"' && c != '\\' && c >= 0x20 && ++run < length) {
					c = text.charAt(run);
				}
				value.append(text, i, run);
				i = run;
				if (i >= length) {
					return null;
				}
				if (c == '"') {
					this.position = i + 1;
					return value.toString();
				}
				if (c < 0x20) {
					return null;
				}
				if (i + 1 >= length) {
					return null;
				}
				char escaped = text.charAt(i + 1);
				switch (escaped) {
					case '"', '\\', '/' -> value.append(escaped);
					case 'b' -> value.append('\b');
					case 'f' -> value.append('\f');
					case 'n' -> value.append('\n');
					case 'r' -> value.append('\r');
					case 't' -> value.append('\t');
					case 'u' -> {
						int code = (i + 5 < length) ? hex(text, i + 2) : -1;
						if (code < 0) {
							return null;
						}
						value.append((char) code);
						i += 4;
					}
					default -> {
						return null;
					}
				}
				i += 2;
			}
			return null;
		}

		private static int hex(String text, int from) {
			int code = 0;
			for (int i = from; i < from + 4; i++) {
				int digit = Character.digit(text.charAt(i), 16);
				if (digit < 0 || text.charAt(i) > 'f') {
					return -1;
				}
				code = (code << 4) | digit;
			}
			return code;
		}

		private boolean consume(char expected) {
			if (this.position < this.text.length() && this.text.charAt(this.position) == expected) {
				this.position++;
				return true;
			}
			return false;
		}

		private void skipWhitespace() {
			String text = this.text;
			while (this.position < text.length()) {
				char c = text.charAt(this.position);
				if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
					return;
				}
				this.position++;
			}
		}

	}

}
