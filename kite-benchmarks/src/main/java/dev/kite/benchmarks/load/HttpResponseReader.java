package dev.kite.benchmarks.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Parses HTTP/1.1 responses in place from a connection's read buffer: the status line,
 * the three headers a keep-alive client needs ({@code Content-Length},
 * {@code Transfer-Encoding: chunked}, {@code Connection}) and the body, which is handed
 * over as a range of the buffer's array (a chunked body is first joined in place, the
 * chunk headers squeezed out). Nothing is decoded to a {@code String}: an XHR poll's body
 * goes to the same byte scan as a WebSocket frame's payload.
 *
 * <p>
 * A response whose body has neither length nor chunked encoding (read to the end of the
 * connection) is refused: neither Tomcat nor Go's {@code net/http} answers SockJS that
 * way, and a keep-alive client could not tell where it ends.
 *
 * <p>
 * Threads: stateless between calls; used by the one thread that owns the buffer.
 */
final class HttpResponseReader {

	/** The longest response head accepted: a guard against a peer that never ends it. */
	static final int MAX_HEAD = 16 * 1024;

	private static final byte[] CONTENT_LENGTH = ascii("content-length:");

	private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding:");

	private static final byte[] CONNECTION = ascii("connection:");

	private static final byte[] CHUNKED = ascii("chunked");

	private static final byte[] CLOSE = ascii("close");

	private static final byte[] KEEP_ALIVE = ascii("keep-alive");

	private HttpResponseReader() {
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/** Told about each complete response. */
	@FunctionalInterface
	interface Handler {

		/**
		 * A complete response (its body valid only during the call).
		 * @param status the status code
		 * @param body the array holding the body
		 * @param from the body's start
		 * @param to the body's end
		 * @param keepAlive whether the connection may carry the next request
		 * @return whether to go on with the next response in the buffer (false once the
		 * handler closed the connection)
		 */
		boolean response(int status, byte[] body, int from, int to, boolean keepAlive);

	}

	/**
	 * Hands every complete response between the buffer's position and limit to the
	 * handler, leaving the position at the first byte not consumed.
	 * @param in a heap buffer, flipped for reading
	 * @param handler told about each response
	 * @return the capacity the buffer needs to hold the incomplete response that follows
	 * (at most its current capacity when it fits)
	 * @throws IOException when the bytes are not an HTTP/1.x response this reader accepts
	 */
	static int read(ByteBuffer in, Handler handler) throws IOException {
		byte[] bytes = in.array();
		int base = in.arrayOffset();
		while (in.hasRemaining()) {
			int from = base + in.position();
			int to = base + in.limit();
			int headEnd = WebSocketHandshake.headEnd(bytes, from, to);
			if (headEnd < 0) {
				if (to - from > MAX_HEAD) {
					throw new IOException("HTTP response head over " + MAX_HEAD + " bytes");
				}
				return Math.max(in.capacity(), Math.min(MAX_HEAD + 4, 2 * (to - from)));
			}
			if (headEnd - from < 13 || !startsWith(bytes, from, ascii("HTTP/1.")) || bytes[from + 8] != ' ') {
				throw new IOException("not an HTTP/1.x response: "
						+ LoadConnection.abbreviate(bytes, from, Math.min(headEnd, from + 80)));
			}
			int status = digit(bytes[from + 9]) * 100 + digit(bytes[from + 10]) * 10 + digit(bytes[from + 11]);
			if (status < 100) {
				throw new IOException("HTTP status line without a status: "
						+ LoadConnection.abbreviate(bytes, from, Math.min(headEnd, from + 80)));
			}
			boolean http10 = bytes[from + 7] == '0';
			long length = -1;
			boolean chunked = false;
			boolean close = false;
			boolean keepAlive = false;
			int line = indexOfCrlf(bytes, from, headEnd) + 2;
			while (line < headEnd - 2) {
				int lineEnd = indexOfCrlf(bytes, line, headEnd);
				if (startsWithIgnoreCase(bytes, line, lineEnd, CONTENT_LENGTH)) {
					length = parseLength(bytes, line + CONTENT_LENGTH.length, lineEnd);
				}
				else if (startsWithIgnoreCase(bytes, line, lineEnd, TRANSFER_ENCODING)) {
					chunked = containsIgnoreCase(bytes, line + TRANSFER_ENCODING.length, lineEnd, CHUNKED);
				}
				else if (startsWithIgnoreCase(bytes, line, lineEnd, CONNECTION)) {
					close = containsIgnoreCase(bytes, line + CONNECTION.length, lineEnd, CLOSE);
					keepAlive = containsIgnoreCase(bytes, line + CONNECTION.length, lineEnd, KEEP_ALIVE);
				}
				line = lineEnd + 2;
			}
			boolean reusable = !close && (!http10 || keepAlive);
			int bodyEnd;
			int end;
			if (status < 200 || status == 204 || status == 304) {
				bodyEnd = headEnd;
				end = headEnd;
			}
			else if (chunked) {
				end = chunkedEnd(bytes, headEnd, to);
				if (end < 0) {
					return needed(in, from, to);
				}
				bodyEnd = joinChunks(bytes, headEnd);
			}
			else if (length >= 0) {
				if (length > Integer.MAX_VALUE - 8 - (headEnd - from)) {
					throw new IOException("HTTP body of " + length + " bytes");
				}
				if (to - headEnd < length) {
					return Math.max(in.capacity(), (int) (headEnd - from + length));
				}
				bodyEnd = headEnd + (int) length;
				end = bodyEnd;
			}
			else {
				throw new IOException("HTTP " + status + " response without Content-Length or chunked encoding");
			}
			in.position(end - base);
			if (status >= 100 && status < 200) {
				continue;
			}
			if (!handler.response(status, bytes, headEnd, bodyEnd, reusable)) {
				return in.capacity();
			}
		}
		return in.capacity();
	}

	/** An incomplete chunked body: room for it all and more to come. */
	private static int needed(ByteBuffer in, int from, int to) {
		return (to - from < in.capacity()) ? in.capacity() : 2 * in.capacity();
	}

	/**
	 * Where a chunked body that starts at {@code from} ends (past its last chunk and
	 * trailer), or -1 when the bytes so far do not hold all of it.
	 */
	private static int chunkedEnd(byte[] bytes, int from, int to) throws IOException {
		int i = from;
		while (true) {
			int lineEnd = indexOfCrlf(bytes, i, to);
			if (lineEnd < 0) {
				return -1;
			}
			int size = chunkSize(bytes, i, lineEnd);
			i = lineEnd + 2;
			if (size == 0) {
				// Trailer fields (rarely any), then an empty line.
				while (true) {
					int trailerEnd = indexOfCrlf(bytes, i, to);
					if (trailerEnd < 0) {
						return -1;
					}
					if (trailerEnd == i) {
						return i + 2;
					}
					i = trailerEnd + 2;
				}
			}
			if (to - i < (long) size + 2) {
				return -1;
			}
			i += size;
			if (bytes[i] != '\r' || bytes[i + 1] != '\n') {
				throw new IOException("chunk not followed by CRLF");
			}
			i += 2;
		}
	}

	/**
	 * Moves the chunks' data of a complete chunked body (checked by {@link #chunkedEnd})
	 * together at its start.
	 * @return the joined body's end
	 */
	private static int joinChunks(byte[] bytes, int from) throws IOException {
		int read = from;
		int write = from;
		while (true) {
			int lineEnd = indexOfCrlf(bytes, read, bytes.length);
			int size = chunkSize(bytes, read, lineEnd);
			if (size == 0) {
				return write;
			}
			System.arraycopy(bytes, lineEnd + 2, bytes, write, size);
			write += size;
			read = lineEnd + 2 + size + 2;
		}
	}

	private static int chunkSize(byte[] bytes, int from, int to) throws IOException {
		long size = 0;
		int i = from;
		for (; i < to; i++) {
			int value = Character.digit(bytes[i], 16);
			if (value < 0) {
				break;
			}
			size = size * 16 + value;
			if (size > Integer.MAX_VALUE / 2) {
				throw new IOException("HTTP chunk too large");
			}
		}
		if (i == from || (i < to && bytes[i] != ';' && bytes[i] != ' ' && bytes[i] != '\t')) {
			throw new IOException("bad chunk size line: " + LoadConnection.abbreviate(bytes, from, to));
		}
		return (int) size;
	}

	private static long parseLength(byte[] bytes, int from, int to) throws IOException {
		long length = 0;
		int digits = 0;
		for (int i = from; i < to; i++) {
			byte b = bytes[i];
			if (b >= '0' && b <= '9') {
				length = length * 10 + (b - '0');
				if (++digits > 12) {
					throw new IOException("Content-Length too large");
				}
			}
			else if (b != ' ' && b != '\t') {
				throw new IOException("bad Content-Length: " + LoadConnection.abbreviate(bytes, from, to));
			}
		}
		if (digits == 0) {
			throw new IOException("empty Content-Length");
		}
		return length;
	}

	private static int digit(byte b) {
		return (b >= '0' && b <= '9') ? b - '0' : -1000;
	}

	/** The index of the next CRLF in {@code [from, to)}, or -1. */
	private static int indexOfCrlf(byte[] bytes, int from, int to) {
		for (int i = from; i + 1 < to; i++) {
			if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
				return i;
			}
		}
		return -1;
	}

	private static boolean startsWith(byte[] bytes, int from, byte[] prefix) {
		if (from + prefix.length > bytes.length) {
			return false;
		}
		for (int k = 0; k < prefix.length; k++) {
			if (bytes[from + k] != prefix[k]) {
				return false;
			}
		}
		return true;
	}

	/** Whether the line starts with the lower-case ASCII {@code prefix}, in any case. */
	private static boolean startsWithIgnoreCase(byte[] bytes, int from, int to, byte[] prefix) {
		if (to - from < prefix.length) {
			return false;
		}
		for (int k = 0; k < prefix.length; k++) {
			if (lower(bytes[from + k]) != prefix[k]) {
				return false;
			}
		}
		return true;
	}

	private static boolean containsIgnoreCase(byte[] bytes, int from, int to, byte[] word) {
		for (int i = from; i + word.length <= to; i++) {
			if (startsWithIgnoreCase(bytes, i, to, word)) {
				return true;
			}
		}
		return false;
	}

	private static byte lower(byte b) {
		return (b >= 'A' && b <= 'Z') ? (byte) (b + ('a' - 'A')) : b;
	}

}
