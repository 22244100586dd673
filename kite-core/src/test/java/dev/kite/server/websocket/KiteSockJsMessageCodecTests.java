package dev.kite.server.websocket;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.kite.rpc.KiteWebSocketLimits;
import dev.kite.rpc.sockjs.KiteSockJsMessageCodec;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.sockjs.frame.JacksonJsonSockJsMessageCodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link KiteSockJsMessageCodec} against Spring's Jackson codec, which SockJS clients
 * already accept: the same frames out, the same messages or errors in.
 */
class KiteSockJsMessageCodecTests {

	private final KiteSockJsMessageCodec codec = new KiteSockJsMessageCodec();

	private final JacksonJsonSockJsMessageCodec spring = new JacksonJsonSockJsMessageCodec();

	@Test
	void isTheEndpointsCodec() throws Exception {
		try (TransportTestServer server = new TransportTestServer(KiteWebSocketLimits.defaults(),
				KiteEndpointSettings.builder().build())) {
			assertThat(server.sockJsService().getMessageCodec()).isInstanceOf(KiteSockJsMessageCodec.class);
		}
	}

	@Test
	void encodesEveryCharacterAsSpringDoes() {
		for (int c = 0; c <= 0xFFFF; c++) {
			String message = "x" + (char) c + "y";
			assertThat(this.codec.encode(message)).as("U+%04X", c).isEqualTo(this.spring.encode(message));
		}
	}

	@Test
	void escapesControlCharactersSeparatorsAndSurrogates() {
		assertThat(this.codec.encode("\u0000\u001f\b\t\n\f\r\"\\/"))
			.isEqualTo("a[\"\\u0000\\u001F\\b\\t\\n\\f\\r\\\"\\\\/\"]");
		assertThat(this.codec.encode("\u2028\u2029\u200c\u206f\ufff0\uffff"))
			.isEqualTo("a[\"\\u2028\\u2029\\u200c\\u206f\\ufff0\\uffff\"]");
		assertThat(this.codec.encode("\uD83D\uDE00")).isEqualTo("a[\"\\ud83d\\ude00\"]");
		assertThat(this.codec.encode("é€\u2027\u2030")).isEqualTo("a[\"é€\u2027\u2030\"]");
	}

	@Test
	void encodesSeveralMessagesAndNoneAsSpringDoes() {
		assertThat(this.codec.encode()).isEqualTo(this.spring.encode()).isEqualTo("a[]");
		assertThat(this.codec.encode("a", "", "b\"c")).isEqualTo(this.spring.encode("a", "", "b\"c"));
	}

	@Test
	void roundTripsRandomText() throws Exception {
		Random random = new Random(10);
		for (int i = 0; i < 2_000; i++) {
			String[] messages = new String[1 + random.nextInt(3)];
			for (int m = 0; m < messages.length; m++) {
				messages[m] = randomText(random);
			}
			String frame = this.codec.encode(messages);
			assertThat(frame).isEqualTo(this.spring.encode(messages));
			String content = frame.substring(1);
			assertThat(this.codec.decode(content)).containsExactly(messages);
			assertThat(this.codec.decodeInputStream(utf8(content))).containsExactly(messages);
			assertThat(this.codec.decode(content.getBytes(StandardCharsets.UTF_8))).containsExactly(messages);
		}
	}

	@Test
	void decodesWhatJacksonWritesAndWhatClientsSend() throws Exception {
		// sockjs-client sends JSON.stringify output: raw non-ASCII, escaped '/' allowed.
		assertDecodesAsSpring("[\"{\\\"method\\\":\\\"kite.ping\\\"}\"]");
		assertDecodesAsSpring(" [ \"a\" ,\t\"b\"\r\n] \n");
		assertDecodesAsSpring("[]");
		assertDecodesAsSpring("[\"\"]");
		assertDecodesAsSpring("[\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"]");
		assertDecodesAsSpring("[\"\\u00e9\\u00E9\\ud83d\\ude00\\uD83D\\u2028\"]");
		assertDecodesAsSpring("[\"é😀\u2028\uD800\"]");
		assertDecodesAsSpring("[\"\u007f\"]");
	}

	@Test
	void givesSpringsResultForTheUnusual() throws Exception {
		assertDecodesAsSpring("null");
		assertDecodesAsSpring("[1, true, 2.5]");
		assertDecodesAsSpring("[\"a\", null]");
	}

	@Test
	void failsAsSpringDoesOnMalformedInput() throws Exception {
		List<String> malformed = List.of("", " ", "[", "]", "[\"a\"", "[\"a\",]", "[\"a\" \"b\"]", "[,\"a\"]",
				"[\"a\"]x", "[\"a\"] [\"b\"]", "{\"a\":\"b\"}", "\"a\"", "[[\"a\"]]", "[\"\\x\"]", "[\"\\u12\"]",
				"[\"\\u12g4\"]", "[\"\\u", "[\"a\\\"]", "[\"\u0001\"]", "[\"a\nb\"]", "[\"a\"]\u0000", "\uFEFF[\"a\"]",
				"['a']", "[a]", "[\"\\\u0660\u0660\u0660\u0660\"]", "[\"\\u\u0660\u0660\u0660\u0660\"]",
				"/* c */[\"a\"]");
		for (String content : malformed) {
			Throwable expected = catchThrowable(() -> this.spring.decode(content));
			if (expected == null) {
				// Jackson takes it: so must we, with the same result.
				assertDecodesAsSpring(content);
				continue;
			}
			assertThatThrownBy(() -> this.codec.decode(content)).as(content)
				.isInstanceOf(expected.getClass())
				.hasMessage(expected.getMessage());
			byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
			Throwable expectedFromBytes = catchThrowable(() -> this.spring.decodeInputStream(utf8(content)));
			if (expectedFromBytes == null) {
				assertThat(this.codec.decode(bytes)).as(content)
					.isEqualTo(this.spring.decodeInputStream(utf8(content)));
				continue;
			}
			assertThatThrownBy(() -> this.codec.decode(bytes)).as(content)
				.isInstanceOf(expectedFromBytes.getClass())
				.hasMessage(expectedFromBytes.getMessage());
		}
	}

	@Test
	void readsBytesAsJacksonDoes() throws Exception {
		List<byte[]> bodies = new ArrayList<>();
		bodies.add("[\"é\"]".getBytes(StandardCharsets.UTF_8));
		bodies.add("[\"é\"]".getBytes(StandardCharsets.UTF_16BE));
		bodies.add("[\"é\"]".getBytes(StandardCharsets.UTF_16LE));
		bodies.add("[\"é\"]".getBytes(StandardCharsets.UTF_16));
		bodies.add(concat(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF }, "[\"a\"]".getBytes()));
		bodies.add(new byte[] { '[', '"', (byte) 0xC3, '"', ']' });
		bodies.add(new byte[] { '[', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ']' });
		bodies.add(new byte[] { '[', '"', (byte) 0xC0, (byte) 0x80, '"', ']' });
		bodies.add(new byte[] { '[', '"', (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80, '"', ']' });
		for (byte[] body : bodies) {
			Throwable failure = catchThrowable(() -> this.spring.decodeInputStream(new ByteArrayInputStream(body)));
			if (failure != null) {
				assertThatThrownBy(() -> this.codec.decode(body)).isInstanceOf(failure.getClass())
					.hasMessage(failure.getMessage());
			}
			else {
				String[] expected = this.spring.decodeInputStream(new ByteArrayInputStream(body));
				assertThat(this.codec.decode(body)).containsExactly(expected);
				assertThat(this.codec.decodeInputStream(new ByteArrayInputStream(body))).containsExactly(expected);
			}
		}
	}

	private void assertDecodesAsSpring(String content) throws Exception {
		String[] expected = this.spring.decode(content);
		if (expected == null) {
			assertThat(this.codec.decode(content)).as(content).isNull();
			assertThat(this.codec.decode(content.getBytes(StandardCharsets.UTF_8))).as(content).isNull();
			return;
		}
		assertThat(this.codec.decode(content)).as(content).containsExactly(expected);
		assertThat(this.codec.decode(content.getBytes(StandardCharsets.UTF_8))).as(content)
			.containsExactly(this.spring.decodeInputStream(utf8(content)));
	}

	private static String randomText(Random random) {
		StringBuilder text = new StringBuilder();
		int length = random.nextInt(40);
		for (int i = 0; i < length; i++) {
			switch (random.nextInt(6)) {
				case 0 -> text.append((char) random.nextInt(0x20));
				case 1 -> text.append("\"\\/".charAt(random.nextInt(3)));
				case 2 -> text.append((char) (0x2000 + random.nextInt(0x80)));
				case 3 -> text.append((char) (0xD800 + random.nextInt(0x800)));
				case 4 -> text.append((char) (0xFFF0 + random.nextInt(0x10)));
				default -> text.append((char) (0x20 + random.nextInt(0x60)));
			}
		}
		return text.toString();
	}

	private static ByteArrayInputStream utf8(String content) {
		return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] both = new byte[a.length + b.length];
		System.arraycopy(a, 0, both, 0, a.length);
		System.arraycopy(b, 0, both, a.length, b.length);
		return both;
	}

}
