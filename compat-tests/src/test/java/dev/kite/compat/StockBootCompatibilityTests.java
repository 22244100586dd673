package dev.kite.compat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.kite.server.websocket.KiteSockJsService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.SpringVersion;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.sockjs.support.SockJsHttpRequestHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter on a stock Spring Boot 4.1.0 (Spring Framework 7.0.8): a method answers
 * over SockJS XHR polling with {@code xhr_send} on separate connections (as kite.js and
 * Go send), over the SockJS WebSocket and over the raw WebSocket. 7.0.8 binds an
 * anonymous SockJS session to the remote port of the request that opened it
 * (spring-framework gh-36904); without the starter's workaround every {@code xhr_send}
 * here gets 404.
 */
@SpringBootTest(classes = CompatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StockBootCompatibilityTests {

	private static final String CALL = "{\"method\":\"square\",\"arguments\":[{\"withArgs\":[7],"
			+ "\"responseCallback\":\"[Function]\"}],\"callbacks\":{\"0\":[0,\"responseCallback\"]}}";

	private static final String ANSWER = "{\"method\":0,\"arguments\":[{\"error\":null,\"result\":49}],"
			+ "\"callbacks\":{}}";

	@LocalServerPort
	int port;

	@Autowired
	WebSocketHandlerMapping kiteEndpointHandlerMapping;

	@Test
	void runsOnTheFrameworkWithTheBugAndWorksAroundIt() {
		assertThat(SpringVersion.getVersion()).isEqualTo("7.0.8");
		SockJsHttpRequestHandler handler = (SockJsHttpRequestHandler) this.kiteEndpointHandlerMapping.getUrlMap()
			.values()
			.iterator()
			.next();
		assertThat(((KiteSockJsService) handler.getSockJsService()).isRemotePortWorkaround()).isTrue();
	}

	@Test
	void xhrPollingWithSendsOnOtherConnections() throws Exception {
		String session = "http://127.0.0.1:" + this.port + "/kite/321/compatxhr1";
		// A new HttpClient per request: each on its own TCP connection, from its own
		// port.
		HttpResponse<String> open = post(session + "/xhr", "");
		assertThat(open.statusCode()).isEqualTo(200);
		assertThat(open.body()).isEqualTo("o\n");
		HttpResponse<String> send = post(session + "/xhr_send", "[" + quote(CALL) + "]");
		assertThat(send.statusCode()).isEqualTo(204);
		HttpResponse<String> poll = post(session + "/xhr", "");
		assertThat(poll.body()).isEqualTo("a[" + quote(ANSWER) + "]\n");
	}

	@Test
	void sockJsWebSocket() throws Exception {
		try (Peer peer = new Peer("ws://127.0.0.1:" + this.port + "/kite/321/compatws1/websocket")) {
			assertThat(peer.next()).isEqualTo("o");
			peer.send("[" + quote(CALL) + "]");
			assertThat(peer.next()).isEqualTo("a[" + quote(ANSWER) + "]");
		}
	}

	@Test
	void rawWebSocket() throws Exception {
		try (Peer peer = new Peer("ws://127.0.0.1:" + this.port + "/kite/websocket")) {
			peer.send(CALL);
			assertThat(peer.next()).isEqualTo(ANSWER);
		}
	}

	private static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	private static HttpResponse<String> post(String uri, String body) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(uri))
				.header("Content-Type", "text/plain")
				.timeout(Duration.ofSeconds(10))
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** A bare WebSocket peer that records whole text messages. */
	private static final class Peer implements WebSocket.Listener, AutoCloseable {

		private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		private final StringBuilder partial = new StringBuilder();

		private final WebSocket socket;

		Peer(String uri) throws Exception {
			this.socket = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.buildAsync(URI.create(uri), this)
				.get(10, TimeUnit.SECONDS);
		}

		void send(String text) {
			this.socket.sendText(text, true).join();
		}

		String next() throws InterruptedException {
			String text = this.received.poll(10, TimeUnit.SECONDS);
			assertThat(text).as("a message within 10 s").isNotNull();
			return text;
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.received.add(this.partial.toString());
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public void close() {
			this.socket.abort();
		}

	}

}
