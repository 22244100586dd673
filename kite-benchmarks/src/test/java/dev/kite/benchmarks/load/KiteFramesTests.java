package dev.kite.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request frames and the reply scan, on the shapes PROTOCOL §1.2 and §3 show.
 */
class KiteFramesTests {

	private final List<String> replies = new ArrayList<>();

	@Test
	void requestIsOneEnvelopeWithTheSlotsCallbackId() {
		String request = KiteFrames.request("square", "[4]", "{\"name\":\"k\"}",
				KiteFrames.authentication("kiteKey", "a.b.c"), 7);
		assertThat(request).isEqualTo("{\"method\":\"square\",\"arguments\":[{\"kite\":{\"name\":\"k\"},"
				+ "\"authentication\":{\"type\":\"kiteKey\",\"key\":\"a.b.c\"},\"responseCallback\":\"[Function]\","
				+ "\"withArgs\":[4]}],\"callbacks\":{\"7\":[0,\"responseCallback\"]},\"links\":[]}");
		assertThat(KiteFrames.request("square", "[4]", "{}", null, 0)).doesNotContain("authentication");
	}

	@Test
	void rawReplyInGoOrder() {
		scanMessage("{\"method\":12,\"arguments\":[{\"error\":null,\"result\":16}],\"callbacks\":{}}", this::record);
		assertThat(this.replies).containsExactly("12 ok");
	}

	@Test
	void rawReplyInKiteJsOrderWithoutResult() {
		scanMessage("{\"arguments\":[{\"error\":null}],\"callbacks\":{},\"links\":[],\"method\":3}", this::record);
		assertThat(this.replies).containsExactly("3 ok");
	}

	@Test
	void replyWithAnErrorIsAnError() {
		scanMessage("{\"method\":0,\"arguments\":[{\"error\":{\"type\":\"genericError\",\"message\":\"boom\","
				+ "\"code\":\"\",\"id\":\"1\"},\"result\":null}],\"callbacks\":{}}", this::record);
		assertThat(this.replies).containsExactly("0 error");
	}

	@Test
	void replyWithoutAnErrorKeyIsAnError() {
		scanMessage("{\"method\":0,\"arguments\":[{\"result\":16}],\"callbacks\":{}}", this::record);
		assertThat(this.replies).containsExactly("0 error");
	}

	@Test
	void callFromThePeerIsNotAReply() {
		scanMessage("{\"method\":\"kite.heartbeat\",\"arguments\":[],\"callbacks\":{}}", this::record);
		assertThat(this.replies).isEmpty();
	}

	@Test
	void sockJsArrayOfSeveralMessages() {
		String first = KiteFrames
			.quote("{\"method\":0,\"arguments\":[{\"error\":null,\"result\":16}],\"callbacks\":{}}");
		String second = KiteFrames.quote(
				"{\"method\":1,\"arguments\":[{\"error\":{\"message\":\"a \\\"quoted\\\" error\"}}],\"callbacks\":{}}");
		String third = KiteFrames
			.quote("{\"arguments\":[{\"error\":null}],\"callbacks\":{},\"links\":[],\"method\":2}");
		assertThat(scanSockJs("a[" + first + "," + second + "," + third + "]", this::record)).isTrue();
		assertThat(this.replies).containsExactly("0 ok", "1 error", "2 ok");
	}

	@Test
	void goServersFrameAsPrinted() {
		assertThat(scanSockJs(
				"a[\"{\\\"method\\\":0,\\\"arguments\\\":[{\\\"error\\\":null,\\\"result\\\":16}],\\\"callbacks\\\":{}}\"]",
				this::record))
			.isTrue();
		assertThat(this.replies).containsExactly("0 ok");
	}

	@Test
	void truncatedSockJsFrameIsMalformed() {
		assertThat(scanSockJs("a[\"{\\\"method\\\":0", this::record)).isFalse();
	}

	@Test
	void scanReadsOnlyItsRange() {
		byte[] bytes = "xx{\"method\":5,\"arguments\":[{\"error\":null}]}{\"method\":6,\"arguments\":[{\"error\":nul"
			.getBytes(StandardCharsets.UTF_8);
		KiteFrames.scanMessage(bytes, 2, bytes.length - 1, this::record);
		assertThat(this.replies).containsExactly("5 ok");
	}

	@Test
	void multiByteCharactersAroundTheKeysAreSkipped() {
		scanSockJs("a[" + KiteFrames.quote("{\"arguments\":[{\"note\":\"é✓\",\"error\":null}],\"method\":9}") + "]",
				this::record);
		assertThat(this.replies).containsExactly("9 ok");
	}

	private static void scanMessage(String message, KiteFrames.Replies replies) {
		byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
		KiteFrames.scanMessage(bytes, 0, bytes.length, replies);
	}

	private static boolean scanSockJs(String frame, KiteFrames.Replies replies) {
		byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
		return KiteFrames.scanSockJs(bytes, 0, bytes.length, replies);
	}

	private void record(int id, boolean error) {
		this.replies.add(id + (error ? " error" : " ok"));
	}

}
