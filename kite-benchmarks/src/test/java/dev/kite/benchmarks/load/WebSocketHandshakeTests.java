package dev.kite.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The generator's opening handshake: the request, the accept check, and a dial against a
 * server that answers with the wrong accept value.
 */
class WebSocketHandshakeTests {

	@Test
	void acceptIsTheRfcExample() {
		// RFC 6455 §1.3
		assertThat(WebSocketHandshake.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
	}

	@Test
	void requestIsAnUpgrade() {
		String request = new String(WebSocketHandshake.request("127.0.0.1:8080", "/kite/1/abc/websocket", "a2V5"),
				StandardCharsets.US_ASCII);
		assertThat(request).startsWith("GET /kite/1/abc/websocket HTTP/1.1\r\n")
			.contains("\r\nHost: 127.0.0.1:8080\r\n", "\r\nUpgrade: websocket\r\n", "\r\nConnection: Upgrade\r\n",
					"\r\nSec-WebSocket-Key: a2V5\r\n", "\r\nSec-WebSocket-Version: 13\r\n")
			.endsWith("\r\n\r\n");
	}

	@Test
	void newKeysAreSixteenBytesAndDiffer() {
		String key = WebSocketHandshake.newKey();
		assertThat(java.util.Base64.getDecoder().decode(key)).hasSize(16);
		assertThat(WebSocketHandshake.newKey()).isNotEqualTo(key);
	}

	@Test
	void headEndFindsTheBlankLine() {
		byte[] bytes = "HTTP/1.1 101 x\r\nA: b\r\n\r\n\u0081\u0001o".getBytes(StandardCharsets.ISO_8859_1);
		assertThat(WebSocketHandshake.headEnd(bytes, 0, bytes.length)).isEqualTo(bytes.length - 3);
		assertThat(WebSocketHandshake.headEnd(bytes, 0, bytes.length - 4)).isEqualTo(-1);
	}

	@Test
	void checkAcceptsTheRightAnswerInAnyCase() {
		String key = "dGhlIHNhbXBsZSBub25jZQ==";
		assertThatNoException().isThrownBy(() -> WebSocketHandshake.check("HTTP/1.1 101 Switching Protocols\r\n"
				+ "upgrade: WebSocket\r\nCONNECTION: keep-alive, Upgrade\r\nSec-WebSocket-Accept: "
				+ "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", key));
	}

	@Test
	void checkRefusesABadAcceptKey() {
		assertThatIOException()
			.isThrownBy(
					() -> WebSocketHandshake.check(response("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), "c29tZSBvdGhlciBrZXk="))
			.withMessageContaining("Sec-WebSocket-Accept");
	}

	@Test
	void checkRefusesAMissingAcceptKey() {
		assertThatIOException()
			.isThrownBy(() -> WebSocketHandshake
				.check("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", "a2V5"))
			.withMessageContaining("Sec-WebSocket-Accept: null");
	}

	@Test
	void checkRefusesAnotherStatus() {
		assertThatIOException().isThrownBy(() -> WebSocketHandshake.check("HTTP/1.1 404 Not Found\r\n\r\n", "a2V5"))
			.withMessageContaining("404");
	}

	@Test
	void dialFailsWhenTheServerAnswersABadAcceptKey() throws Exception {
		assertDialFails((key) -> response(WebSocketHandshake.accept(key + "x")), "Sec-WebSocket-Accept");
	}

	@Test
	void dialSucceedsWhenTheServerAnswersTheRightKey() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				IoLoop loop = new IoLoop()) {
			CompletableFuture<Void> served = serve(server, (key) -> response(WebSocketHandshake.accept(key)));
			WebSocketLoadConnection connection = WebSocketLoadConnection.open(loop, uri(server), new LoadRun(0),
					new byte[][] { "x".getBytes(StandardCharsets.UTF_8) }, false, Duration.ofSeconds(10));
			connection.close();
			served.get(10, TimeUnit.SECONDS);
		}
	}

	private static void assertDialFails(Function<String, String> answer, String message) throws Exception {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				IoLoop loop = new IoLoop()) {
			CompletableFuture<Void> served = serve(server, answer);
			assertThatException()
				.isThrownBy(() -> WebSocketLoadConnection.open(loop, uri(server), new LoadRun(0),
						new byte[][] { "x".getBytes(StandardCharsets.UTF_8) }, false, Duration.ofSeconds(10)))
				.withMessageContaining(message);
			served.get(10, TimeUnit.SECONDS);
		}
	}

	private static URI uri(ServerSocket server) {
		return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/kite/websocket");
	}

	/** Accepts one connection, reads the request's head and answers it. */
	private static CompletableFuture<Void> serve(ServerSocket server, Function<String, String> answer) {
		return CompletableFuture.runAsync(() -> {
			try (Socket socket = server.accept()) {
				socket.setSoTimeout(10_000);
				InputStream input = socket.getInputStream();
				StringBuilder head = new StringBuilder();
				while (!head.toString().endsWith("\r\n\r\n")) {
					int b = input.read();
					if (b < 0) {
						throw new IOException("request ended early: " + head);
					}
					head.append((char) b);
				}
				String key = head.toString().replaceAll("(?s).*Sec-WebSocket-Key: (\\S+)\r\n.*", "$1");
				OutputStream output = socket.getOutputStream();
				output.write(answer.apply(key).getBytes(StandardCharsets.US_ASCII));
				output.flush();
				// Until the client goes away.
				input.read();
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		});
	}

	private static String response(String accept) {
		return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Accept: " + accept + "\r\n\r\n";
	}

}
