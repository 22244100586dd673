package dev.kite.benchmarks.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link HttpResponseReader}: bodies by length and chunked, split anywhere,
 * several responses in one read, keep-alive and its end.
 */
class HttpResponseReaderTests {

	private final List<String> responses = new ArrayList<>();

	private boolean handle(int status, byte[] body, int from, int to, boolean keepAlive) {
		this.responses.add(status + " " + keepAlive + " " + new String(body, from, to - from, StandardCharsets.UTF_8));
		return true;
	}

	private ByteBuffer buffer(String text) {
		return ByteBuffer.allocate(1024).put(text.getBytes(StandardCharsets.UTF_8)).flip();
	}

	@Test
	void contentLengthBody() throws IOException {
		ByteBuffer in = buffer(
				"HTTP/1.1 200 OK\r\nContent-Type: application/javascript\r\nContent-Length: 2\r\n\r\no\nab");
		HttpResponseReader.read(in, this::handle);
		assertThat(this.responses).containsExactly("200 true o\n");
		assertThat(in.remaining()).isEqualTo(2);
	}

	@Test
	void chunkedBodyIsJoined() throws IOException {
		ByteBuffer in = buffer("HTTP/1.1 200 \r\ntransfer-encoding: Chunked\r\n\r\n"
				+ "3\r\na[\"\r\n5;ext=1\r\nx\",\"y\r\n3\r\n\"]\n\r\n0\r\nTrailer: t\r\n\r\n");
		HttpResponseReader.read(in, this::handle);
		assertThat(this.responses).containsExactly("200 true a[\"x\",\"y\"]\n");
		assertThat(in.hasRemaining()).isFalse();
	}

	@Test
	void responseSplitAnywhereIsHandledOnceComplete() throws IOException {
		String response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\no\n\r\n0\r\n\r\n";
		for (int split = 1; split < response.length(); split++) {
			this.responses.clear();
			ByteBuffer in = ByteBuffer.allocate(256);
			in.put(response.substring(0, split).getBytes(StandardCharsets.US_ASCII)).flip();
			HttpResponseReader.read(in, this::handle);
			assertThat(this.responses).as("split at %d", split).isEmpty();
			in.compact().put(response.substring(split).getBytes(StandardCharsets.US_ASCII)).flip();
			HttpResponseReader.read(in, this::handle);
			assertThat(this.responses).as("split at %d", split).containsExactly("200 true o\n");
			assertThat(in.hasRemaining()).isFalse();
		}
	}

	@Test
	void severalResponsesInOneRead() throws IOException {
		ByteBuffer in = buffer("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nh\n"
				+ "HTTP/1.1 204 \r\nConnection: close\r\n\r\n");
		HttpResponseReader.read(in, this::handle);
		assertThat(this.responses).containsExactly("204 true ", "200 true h\n", "204 false ");
	}

	@Test
	void handlerStopsTheReading() throws IOException {
		ByteBuffer in = buffer("HTTP/1.1 204 \r\n\r\nHTTP/1.1 204 \r\n\r\n");
		HttpResponseReader.read(in, (status, body, from, to, keepAlive) -> {
			this.responses.add("" + status);
			return false;
		});
		assertThat(this.responses).containsExactly("204");
		assertThat(in.remaining()).isEqualTo(17);
	}

	@Test
	void http10IsNotKeptAliveUnlessAsked() throws IOException {
		ByteBuffer in = buffer("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx"
				+ "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\ny");
		HttpResponseReader.read(in, this::handle);
		assertThat(this.responses).containsExactly("200 false x", "200 true y");
	}

	@Test
	void largerBodyAsksForALargerBuffer() throws IOException {
		ByteBuffer in = ByteBuffer.allocate(64);
		in.put("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII)).flip();
		int needed = HttpResponseReader.read(in, this::handle);
		assertThat(this.responses).isEmpty();
		assertThat(needed).isEqualTo(140);
		assertThat(in.position()).isZero();
	}

	@Test
	void bodyWithoutLengthIsRefused() {
		ByteBuffer in = buffer("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nabc");
		assertThatIOException().isThrownBy(() -> HttpResponseReader.read(in, this::handle))
			.withMessageContaining("without Content-Length");
	}

	@Test
	void notHttpIsRefused() {
		ByteBuffer in = buffer("SSH-2.0-OpenSSH_9.6\r\n\r\n");
		assertThatIOException().isThrownBy(() -> HttpResponseReader.read(in, this::handle))
			.withMessageContaining("not an HTTP/1.x response");
	}

	@Test
	void badChunkSizeIsRefused() {
		ByteBuffer in = buffer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n");
		assertThatIOException().isThrownBy(() -> HttpResponseReader.read(in, this::handle))
			.withMessageContaining("bad chunk size");
	}

	@Test
	void endlessHeadIsRefused() {
		ByteBuffer in = ByteBuffer.allocate(HttpResponseReader.MAX_HEAD + 100);
		in.put("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
		while (in.hasRemaining()) {
			in.put((byte) 'x');
		}
		in.flip();
		assertThatIOException().isThrownBy(() -> HttpResponseReader.read(in, this::handle))
			.withMessageContaining("head over");
	}

}
