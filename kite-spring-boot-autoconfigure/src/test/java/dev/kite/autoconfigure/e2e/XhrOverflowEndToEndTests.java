package dev.kite.autoconfigure.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An XHR client that lets more replies pile up than its session may hold: the session is
 * closed, so the client learns replies were lost instead of waiting for them forever.
 */
@SpringBootTest(classes = TestKiteApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "kite.server.sockjs.http-message-cache-size=5")
class XhrOverflowEndToEndTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Test
	void overflowingTheXhrMessageCacheClosesTheSession() throws Exception {
		String session = "http://127.0.0.1:" + this.port + "/kite/000/overflow1";
		assertThat(post(session + "/xhr", "").body()).isEqualTo("o\n");
		List<String> calls = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			calls.add("{\"method\":\"square\",\"arguments\":[{\"withArgs\":[" + i
					+ "],\"responseCallback\":\"[Function]\"}]," + "\"callbacks\":{\"" + i
					+ "\":[0,\"responseCallback\"]}}");
		}
		assertThat(post(session + "/xhr_send", this.json.writeValueAsString(calls)).statusCode()).isEqualTo(204);
		List<String> answered = new ArrayList<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			String body = post(session + "/xhr", "").body();
			if (body.startsWith("a[")) {
				answered.addAll(List.of(this.json.readValue(body.substring(1).trim(), String[].class)));
			}
			return body.startsWith("c[");
		});
		assertThat(answered).hasSizeLessThan(20);
	}

	private static HttpResponse<String> post(String uri, String body) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(uri))
				.header("Content-Type", "text/plain")
				.timeout(Duration.ofSeconds(10))
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

}
