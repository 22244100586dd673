package dev.kite.benchmarks.load;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The RFC 6455 frame codec of the generator's WebSocket client: client frames written
 * masked from pre-encoded payload bytes, server frames parsed in place from the read
 * buffer (text and binary messages, fragmented ones reassembled, ping, pong and close).
 *
 * <p>
 * Threads: the static methods are stateless; a {@link Reader} belongs to one connection
 * and is used by its I/O thread alone.
 */
final class WebSocketFrames {

	static final int OPCODE_CONTINUATION = 0x0;

	static final int OPCODE_TEXT = 0x1;

	static final int OPCODE_BINARY = 0x2;

	static final int OPCODE_CLOSE = 0x8;

	static final int OPCODE_PING = 0x9;

	static final int OPCODE_PONG = 0xA;

	/** The largest message a reader accepts: far above any kite reply it waits for. */
	static final int MAX_MESSAGE = 16 * 1024 * 1024;

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

	private WebSocketFrames() {
	}

	/**
	 * The size of a client frame (header, masking key and payload).
	 * @param payloadLength the payload's length
	 * @return the frame's length
	 */
	static int clientFrameLength(int payloadLength) {
		return headerLength(payloadLength) + 4 + payloadLength;
	}

	private static int headerLength(int payloadLength) {
		return (payloadLength <= 125) ? 2 : (payloadLength <= 0xFFFF) ? 4 : 10;
	}

	/**
	 * Writes one final client frame, its payload masked with {@code mask}. RFC 6455 §5.3
	 * wants a fresh unpredictable key per frame; the mask exists only so that a script in
	 * a browser cannot choose the bytes a proxy sees (cache poisoning, RFC 6455 §10.3). A
	 * load generator on its own connections has no such script, and no server can tell a
	 * cheap key from a strong one, so the caller passes an xorshift value instead of the
	 * JDK client's {@code SecureRandom} (a SHA digest per frame).
	 * @param out where to write; must have {@link #clientFrameLength} bytes left
	 * @param opcode the opcode
	 * @param payload the unmasked payload
	 * @param offset the payload's start in {@code payload}
	 * @param length the payload's length
	 * @param mask the 4-byte masking key
	 */
	static void writeClientFrame(ByteBuffer out, int opcode, byte[] payload, int offset, int length, int mask) {
		out.put((byte) (0x80 | opcode));
		if (length <= 125) {
			out.put((byte) (0x80 | length));
		}
		else if (length <= 0xFFFF) {
			out.put((byte) (0x80 | 126));
			out.putShort((short) length);
		}
		else {
			out.put((byte) (0x80 | 127));
			out.putLong(length);
		}
		out.putInt(mask);
		// Eight bytes at a time: the key repeated twice, big-endian as the buffer.
		long mask64 = ((mask & 0xFFFFFFFFL) << 32) | (mask & 0xFFFFFFFFL);
		int i = 0;
		for (; i + 8 <= length; i += 8) {
			out.putLong((long) LONGS.get(payload, offset + i) ^ mask64);
		}
		for (; i < length; i++) {
			out.put((byte) (payload[offset + i] ^ (mask >>> (24 - 8 * (i & 3)))));
		}
	}

	/**
	 * The next xorshift32 value: a cheap masking key sequence (see
	 * {@link #writeClientFrame}).
	 * @param x the previous value, not 0
	 * @return the next value, not 0
	 */
	static int xorshift(int x) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		return x;
	}

	/** Told about each complete message and control frame a {@link Reader} parses. */
	interface Handler {

		/**
		 * A complete text or binary message; the bytes are valid during the call only.
		 * @param bytes the array holding it
		 * @param offset its start
		 * @param length its length
		 * @throws IOException to fail the connection
		 */
		void message(byte[] bytes, int offset, int length) throws IOException;

		/**
		 * A ping, to be answered with a pong carrying the same payload.
		 * @param bytes the array holding the payload
		 * @param offset its start
		 * @param length its length
		 */
		void ping(byte[] bytes, int offset, int length);

		/**
		 * The peer's close frame.
		 * @param code its status (1005 when it carried none)
		 * @param reason its reason
		 */
		void close(int code, String reason);

	}

	/**
	 * Parses server frames from a heap buffer: complete frames are handled in place (no
	 * copy, unless a message arrives in fragments), an incomplete one is left for the
	 * next read.
	 */
	static final class Reader {

		private byte[] fragments = new byte[256];

		private int fragmentsLength;

		private boolean fragmented;

		/**
		 * Handles every complete frame in {@code in} (between its position and limit) and
		 * moves the position past them.
		 * @param in the bytes read, a heap buffer
		 * @param handler told about messages and control frames
		 * @return 0 when all complete frames were handled, or the length of the
		 * incomplete frame at the position (header included) when it is known and the
		 * buffer cannot hold it
		 * @throws IOException when the peer broke the protocol
		 */
		int read(ByteBuffer in, Handler handler) throws IOException {
			byte[] array = in.array();
			while (true) {
				int start = in.position();
				int available = in.remaining();
				if (available < 2) {
					return 0;
				}
				int base = in.arrayOffset() + start;
				int b0 = array[base] & 0xFF;
				int b1 = array[base + 1] & 0xFF;
				if ((b0 & 0x70) != 0) {
					throw new IOException("WebSocket frame with reserved bits set (no extension was negotiated)");
				}
				if ((b1 & 0x80) != 0) {
					throw new IOException("masked WebSocket frame from the server (RFC 6455 §5.1)");
				}
				boolean fin = (b0 & 0x80) != 0;
				int opcode = b0 & 0x0F;
				long length = b1 & 0x7F;
				int header = 2;
				if (length == 126) {
					if (available < 4) {
						return 0;
					}
					length = in.getShort(start + 2) & 0xFFFF;
					header = 4;
				}
				else if (length == 127) {
					if (available < 10) {
						return 0;
					}
					length = in.getLong(start + 2);
					header = 10;
				}
				if (length < 0 || length > MAX_MESSAGE) {
					throw new IOException("WebSocket frame of " + length + " bytes");
				}
				int frameLength = header + (int) length;
				if (available < frameLength) {
					return (frameLength > in.capacity() - start) ? frameLength : 0;
				}
				frame(fin, opcode, array, base + header, (int) length, handler);
				in.position(start + frameLength);
			}
		}

		private void frame(boolean fin, int opcode, byte[] array, int offset, int length, Handler handler)
				throws IOException {
			switch (opcode) {
				case OPCODE_TEXT, OPCODE_BINARY -> {
					if (this.fragmented) {
						throw new IOException("new WebSocket message inside a fragmented one");
					}
					if (fin) {
						handler.message(array, offset, length);
					}
					else {
						this.fragmented = true;
						this.fragmentsLength = 0;
						append(array, offset, length);
					}
				}
				case OPCODE_CONTINUATION -> {
					if (!this.fragmented) {
						throw new IOException("WebSocket continuation frame without a message");
					}
					append(array, offset, length);
					if (fin) {
						this.fragmented = false;
						handler.message(this.fragments, 0, this.fragmentsLength);
					}
				}
				case OPCODE_CLOSE, OPCODE_PING, OPCODE_PONG -> {
					if (!fin || length > 125) {
						throw new IOException("fragmented or long WebSocket control frame");
					}
					if (opcode == OPCODE_PING) {
						handler.ping(array, offset, length);
					}
					else if (opcode == OPCODE_CLOSE) {
						int code = (length >= 2) ? ((array[offset] & 0xFF) << 8) | (array[offset + 1] & 0xFF) : 1005;
						String reason = (length > 2) ? new String(array, offset + 2, length - 2, StandardCharsets.UTF_8)
								: "";
						handler.close(code, reason);
					}
				}
				default -> throw new IOException("WebSocket frame with opcode " + opcode);
			}
		}

		private void append(byte[] array, int offset, int length) throws IOException {
			int needed = this.fragmentsLength + length;
			if (needed > MAX_MESSAGE) {
				throw new IOException("fragmented WebSocket message over " + MAX_MESSAGE + " bytes");
			}
			if (needed > this.fragments.length) {
				this.fragments = Arrays.copyOf(this.fragments,
						Math.min(MAX_MESSAGE, Math.max(needed, this.fragments.length * 2)));
			}
			System.arraycopy(array, offset, this.fragments, this.fragmentsLength, length);
			this.fragmentsLength = needed;
		}

	}

}
