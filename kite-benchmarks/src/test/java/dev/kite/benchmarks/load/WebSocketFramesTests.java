package dev.kite.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * The generator's RFC 6455 frame codec: client frames decoded here by the RFC's rules (a
 * reference decoder, byte by byte), server frames as RFC 6455 §5 lays them out.
 */
class WebSocketFramesTests {

	private final List<String> events = new ArrayList<>();

	private final List<byte[]> messages = new ArrayList<>();

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 7, 8, 9, 125, 126, 127, 65535, 65536 })
	void clientFrameIsMaskedAndDecodesToThePayload(int length) {
		byte[] payload = payload(length);
		int mask = 0x9A3C51E7;
		ByteBuffer out = ByteBuffer.allocate(WebSocketFrames.clientFrameLength(length));
		WebSocketFrames.writeClientFrame(out, WebSocketFrames.OPCODE_TEXT, payload, 0, length, mask);
		assertThat(out.remaining()).isZero();
		byte[] frame = out.array();
		assertThat(frame[0] & 0xFF).isEqualTo(0x81);
		assertThat(frame[1] & 0x80).as("mask bit").isEqualTo(0x80);
		int lengthCode = frame[1] & 0x7F;
		int header;
		long decodedLength;
		if (length <= 125) {
			assertThat(lengthCode).isEqualTo(length);
			header = 2;
			decodedLength = lengthCode;
		}
		else if (length <= 65535) {
			assertThat(lengthCode).isEqualTo(126);
			header = 4;
			decodedLength = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
		}
		else {
			assertThat(lengthCode).isEqualTo(127);
			header = 10;
			decodedLength = ByteBuffer.wrap(frame, 2, 8).getLong();
		}
		assertThat(decodedLength).isEqualTo(length);
		byte[] key = Arrays.copyOfRange(frame, header, header + 4);
		assertThat(ByteBuffer.wrap(key).getInt()).isEqualTo(mask);
		byte[] unmasked = new byte[length];
		for (int i = 0; i < length; i++) {
			unmasked[i] = (byte) (frame[header + 4 + i] ^ key[i % 4]);
		}
		assertThat(unmasked).isEqualTo(payload);
		if (length >= 4) {
			assertThat(Arrays.copyOfRange(frame, header + 4, frame.length)).isNotEqualTo(payload);
		}
	}

	@Test
	void clientFrameOfAPayloadSlice() {
		byte[] payload = "xxping!yy".getBytes(StandardCharsets.US_ASCII);
		ByteBuffer out = ByteBuffer.allocate(WebSocketFrames.clientFrameLength(5));
		WebSocketFrames.writeClientFrame(out, WebSocketFrames.OPCODE_PONG, payload, 2, 5, 0x01020304);
		byte[] frame = out.array();
		assertThat(frame[0] & 0xFF).isEqualTo(0x8A);
		assertThat(frame[1] & 0xFF).isEqualTo(0x80 | 5);
		byte[] unmasked = new byte[5];
		for (int i = 0; i < 5; i++) {
			unmasked[i] = (byte) (frame[6 + i] ^ frame[2 + i % 4]);
		}
		assertThat(new String(unmasked, StandardCharsets.US_ASCII)).isEqualTo("ping!");
	}

	@Test
	void xorshiftNeverYieldsZeroAndMoves() {
		int x = 1;
		for (int i = 0; i < 100_000; i++) {
			int next = WebSocketFrames.xorshift(x);
			assertThat(next).isNotZero().isNotEqualTo(x);
			x = next;
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 125, 126, 65535, 65536, 200_000 })
	void serverMessagesOfEachLengthFormInOneReadAndByteByByte(int length) throws IOException {
		byte[] payload = payload(length);
		byte[] frames = concat(serverFrame(true, WebSocketFrames.OPCODE_TEXT, payload),
				serverFrame(true, WebSocketFrames.OPCODE_TEXT, "after".getBytes(StandardCharsets.US_ASCII)));
		feed(frames, frames.length);
		assertThat(this.messages).hasSize(2);
		assertThat(this.messages.get(0)).isEqualTo(payload);
		assertThat(this.messages.get(1)).isEqualTo("after".getBytes(StandardCharsets.US_ASCII));
		this.messages.clear();
		feed(frames, (length > 1000) ? 997 : 1);
		assertThat(this.messages).hasSize(2);
		assertThat(this.messages.get(0)).isEqualTo(payload);
	}

	@Test
	void fragmentedMessageWithAPingBetweenItsFragments() throws IOException {
		byte[] frames = concat(serverFrame(false, WebSocketFrames.OPCODE_TEXT, ascii("a[\"one")),
				serverFrame(true, WebSocketFrames.OPCODE_PING, ascii("are you there")),
				serverFrame(false, WebSocketFrames.OPCODE_CONTINUATION, ascii("\",\"tw")),
				serverFrame(true, WebSocketFrames.OPCODE_CONTINUATION, ascii("o\"]")),
				serverFrame(true, WebSocketFrames.OPCODE_PONG, ascii("ignored")),
				serverFrame(true, WebSocketFrames.OPCODE_TEXT, ascii("h")));
		for (int chunk : new int[] { frames.length, 1, 3 }) {
			this.events.clear();
			this.messages.clear();
			feed(frames, chunk);
			assertThat(this.events).containsExactly("ping are you there", "message a[\"one\",\"two\"]", "message h");
		}
	}

	@Test
	void closeFrameWithCodeAndReason() throws IOException {
		byte[] payload = concat(new byte[] { 0x0B, (byte) 0xB9 }, ascii("going away")); // 3001
		feed(serverFrame(true, WebSocketFrames.OPCODE_CLOSE, payload), 1);
		feed(serverFrame(true, WebSocketFrames.OPCODE_CLOSE, new byte[0]), 2);
		assertThat(this.events).containsExactly("close 3001 going away", "close 1005 ");
	}

	@Test
	void maskedServerFrameIsAnError() {
		byte[] frame = serverFrame(true, WebSocketFrames.OPCODE_TEXT, ascii("o"));
		frame[1] |= (byte) 0x80;
		assertThatIOException().isThrownBy(() -> feed(frame, frame.length)).withMessageContaining("masked");
	}

	@Test
	void continuationWithoutAMessageIsAnError() {
		byte[] frame = serverFrame(true, WebSocketFrames.OPCODE_CONTINUATION, ascii("x"));
		assertThatIOException().isThrownBy(() -> feed(frame, frame.length)).withMessageContaining("continuation");
	}

	@Test
	void newMessageInsideAFragmentedOneIsAnError() {
		byte[] frames = concat(serverFrame(false, WebSocketFrames.OPCODE_TEXT, ascii("a")),
				serverFrame(true, WebSocketFrames.OPCODE_TEXT, ascii("b")));
		assertThatIOException().isThrownBy(() -> feed(frames, frames.length)).withMessageContaining("fragmented");
	}

	@Test
	void fragmentedControlFrameIsAnError() {
		byte[] frame = serverFrame(false, WebSocketFrames.OPCODE_PING, ascii("x"));
		assertThatIOException().isThrownBy(() -> feed(frame, frame.length)).withMessageContaining("control");
	}

	@Test
	void readerAsksForRoomForAFrameLargerThanTheBuffer() throws IOException {
		byte[] frame = serverFrame(true, WebSocketFrames.OPCODE_TEXT, payload(1000));
		ByteBuffer in = ByteBuffer.allocate(64);
		in.put(frame, 0, 64).flip();
		assertThat(new WebSocketFrames.Reader().read(in, handler())).isEqualTo(frame.length);
		assertThat(in.position()).isZero();
	}

	/**
	 * Feeds {@code bytes} in chunks through a buffer as a connection does, growing it.
	 */
	private void feed(byte[] bytes, int chunk) throws IOException {
		WebSocketFrames.Reader reader = new WebSocketFrames.Reader();
		ByteBuffer in = ByteBuffer.allocate(256);
		WebSocketFrames.Handler handler = handler();
		for (int from = 0; from < bytes.length;) {
			int length = Math.min(Math.min(chunk, bytes.length - from), in.remaining());
			in.put(bytes, from, length);
			from += length;
			in.flip();
			int needed = reader.read(in, handler);
			in.compact();
			if (needed > in.capacity()) {
				ByteBuffer larger = ByteBuffer.allocate(needed);
				in.flip();
				larger.put(in);
				in = larger;
			}
		}
		assertThat(in.position()).as("bytes left unparsed").isZero();
	}

	private WebSocketFrames.Handler handler() {
		return new WebSocketFrames.Handler() {

			@Override
			public void message(byte[] bytes, int offset, int length) {
				byte[] message = Arrays.copyOfRange(bytes, offset, offset + length);
				WebSocketFramesTests.this.messages.add(message);
				if (length < 100) {
					WebSocketFramesTests.this.events.add("message " + new String(message, StandardCharsets.UTF_8));
				}
			}

			@Override
			public void ping(byte[] bytes, int offset, int length) {
				WebSocketFramesTests.this.events
					.add("ping " + new String(bytes, offset, length, StandardCharsets.UTF_8));
			}

			@Override
			public void close(int code, String reason) {
				WebSocketFramesTests.this.events.add("close " + code + " " + reason);
			}

		};
	}

	/**
	 * A server frame as RFC 6455 §5.2 lays it out: unmasked, the shortest length form.
	 */
	static byte[] serverFrame(boolean fin, int opcode, byte[] payload) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write((fin ? 0x80 : 0) | opcode);
		int length = payload.length;
		if (length <= 125) {
			frame.write(length);
		}
		else if (length <= 65535) {
			frame.write(126);
			frame.write(length >>> 8);
			frame.write(length & 0xFF);
		}
		else {
			frame.write(127);
			frame.writeBytes(ByteBuffer.allocate(8).putLong(length).array());
		}
		frame.writeBytes(payload);
		return frame.toByteArray();
	}

	private static byte[] payload(int length) {
		byte[] payload = new byte[length];
		for (int i = 0; i < length; i++) {
			payload[i] = (byte) ('a' + (i * 7) % 26);
		}
		return payload;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			all.writeBytes(part);
		}
		return all.toByteArray();
	}

}
