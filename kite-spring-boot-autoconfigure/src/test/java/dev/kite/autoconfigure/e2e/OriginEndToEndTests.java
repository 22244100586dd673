package dev.kite.autoconfigure.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the default {@code kite.server.allowed-origins} (empty), only same-origin browser
 * pages and clients without an {@code Origin} header (Go, Java, Node) reach the kite: a
 * page elsewhere can neither upgrade a WebSocket nor use the XHR transports.
 */
@SpringBootTest(classes = TestKiteApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OriginEndToEndTests {

	static final String EVIL = "http://evil.example";

	static final String PING = "{\"method\":\"kite.ping\",\"arguments\":[{\"withArgs\":null,"
			+ "\"responseCallback\":\"[Function]\"}],\"callbacks\":{\"0\":[0,\"responseCallback\"]}}";

	@LocalServerPort
	int port;

	@Test
	void webSocketUpgradesFromAnotherOriginAreRefused() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/kite/websocket", EVIL)) {
			assertThat(raw.status()).isEqualTo(403);
		}
		try (RawWebSocket sockJs = RawWebSocket.connect(this.port, "/kite/000/evil0001/websocket", EVIL)) {
			assertThat(sockJs.status()).isEqualTo(403);
		}
	}

	@Test
	void xhrFromAnotherOriginIsRefused() throws Exception {
		HttpResponse<String> open = xhr(this.port, "/kite/000/evil0002/xhr", EVIL);
		assertThat(open.statusCode()).isEqualTo(403);
		assertThat(open.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	@Test
	void sameOriginPagesAndClientsWithoutOriginAreServed() throws Exception {
		String self = "http://127.0.0.1:" + this.port;
		for (String origin : new String[] { self, null }) {
			try (RawWebSocket raw = RawWebSocket.connect(this.port, "/kite/websocket", origin)) {
				assertThat(raw.status()).isEqualTo(101);
				raw.send(PING);
				assertThat(raw.next()).contains("\"result\":\"pong\"");
			}
			String sockJsPath = "/kite/000/same" + (origin != null) + "/websocket";
			try (RawWebSocket sockJs = RawWebSocket.connect(this.port, sockJsPath, origin)) {
				assertThat(sockJs.status()).isEqualTo(101);
				assertThat(sockJs.next()).isEqualTo("o");
			}
			HttpResponse<String> open = xhr(this.port, "/kite/000/xhrsame" + (origin != null) + "/xhr", origin);
			assertThat(open.statusCode()).isEqualTo(200);
			assertThat(open.body()).isEqualTo("o\n");
		}
	}

	static HttpResponse<String> xhr(int port, String path, @Nullable String origin) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "text/plain")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(""));
		if (origin != null) {
			request.header("Origin", origin);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
