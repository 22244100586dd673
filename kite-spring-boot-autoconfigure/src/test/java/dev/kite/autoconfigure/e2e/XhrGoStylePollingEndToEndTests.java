package dev.kite.autoconfigure.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Polls the way the Go kite's XHR transport does: read the frame, drop the rest of the
 * response, and poll again at once on a new connection. Spring alone answers some of
 * those polls with {@code c[2010,…]}, which ends a Go session; the kite endpoint must
 * not.
 */
@SpringBootTest(classes = TestKiteApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class XhrGoStylePollingEndToEndTests {

	@LocalServerPort
	int port;

	@Test
	void immediateRepollsDoNotEndTheSession() throws Exception {
		String base = "/kite/100/gostylepolling0000000";
		BlockingQueue<String> frames = new LinkedBlockingQueue<>();
		AtomicBoolean running = new AtomicBoolean(true);
		Thread poller = new Thread(() -> {
			while (running.get()) {
				try {
					String frame = pollFrame(base + "/xhr");
					frames.add(frame);
					if (frame.startsWith("c[")) {
						return;
					}
				}
				catch (Exception ex) {
					frames.add("error " + ex);
					return;
				}
			}
		});
		poller.setDaemon(true);
		poller.start();
		assertThat(frames.poll(10, TimeUnit.SECONDS)).isEqualTo("o");
		HttpClient http = HttpClient.newHttpClient();
		for (int i = 0; i < 150; i++) {
			String call = "[\"{\\\"method\\\":\\\"square\\\",\\\"arguments\\\":[{\\\"withArgs\\\":[" + i
					+ "],\\\"responseCallback\\\":\\\"[Function]\\\"}],\\\"callbacks\\\":{\\\"" + i
					+ "\\\":[0,\\\"responseCallback\\\"]}}\"]";
			HttpResponse<String> sent = http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + base + "/xhr_send"))
					.POST(HttpRequest.BodyPublishers.ofString(call))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(sent.statusCode()).as("send %d", i).isEqualTo(204);
			String frame;
			do {
				frame = frames.poll(10, TimeUnit.SECONDS);
				assertThat(frame).as("frame for call %d", i)
					.isNotNull()
					.doesNotStartWith("c[")
					.doesNotStartWith("error");
			}
			while (frame.equals("h"));
			assertThat(frame).as("reply to call %d", i).contains("\\\"result\\\":" + (i * i) + "}");
		}
		running.set(false);
	}

	/**
	 * One poll on a fresh socket: returns the first frame line and abandons the
	 * connection.
	 */
	private String pollFrame(String path) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
					+ "Content-Length: 0\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = in.readLine()) != null) {
				if (line.equals("o") || line.equals("h") || line.startsWith("a[") || line.startsWith("c[")) {
					return line;
				}
			}
			throw new IllegalStateException("poll ended without a frame");
		}
	}

}
