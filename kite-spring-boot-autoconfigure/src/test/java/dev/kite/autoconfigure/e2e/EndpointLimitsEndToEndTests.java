package dev.kite.autoconfigure.e2e;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * XHR sessions are bounded in bytes: an {@code xhr_send} body beyond
 * {@code 4 × max-message-size +
 * 1KB} (here 16KB → 65KB) is refused with 413 and closes its session, and replies a
 * client leaves unpolled beyond {@code kite.server.sockjs.http-message-cache-byte-limit}
 * close that session only.
 */
@SpringBootTest(classes = TestKiteApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "kite.server.max-message-size=16KB", "kite.server.sockjs.http-message-cache-byte-limit=64KB" })
class EndpointLimitsEndToEndTests {

	private static final int BODY_LIMIT = 4 * 16 * 1024 + 1024;

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	private String session(String id) {
		return "http://127.0.0.1:" + this.port + "/kite/000/" + id;
	}

	private static String echo(int id, String text) {
		return "{\"method\":\"echo\",\"arguments\":[{\"withArgs\":[\"" + text + "\"],"
				+ "\"responseCallback\":\"[Function]\"}],\"callbacks\":{\"" + id + "\":[0,\"responseCallback\"]}}";
	}

	private String frame(String... messages) {
		return this.json.writeValueAsString(messages);
	}

	@Test
	void xhrSendBodiesBeyondTheLimitAreRefusedWith413() throws Exception {
		String session = session("bigbody1");
		assertThat(post(session + "/xhr", "").body()).isEqualTo("o\n");
		String atLimit = frame("x".repeat(BODY_LIMIT - 4));
		assertThat(atLimit.getBytes(StandardCharsets.UTF_8)).hasSize(BODY_LIMIT);
		// At the limit the body is read (its one oversized message then closes the
		// session with 1009).
		assertThat(post(session + "/xhr_send", atLimit).statusCode()).isEqualTo(204);

		String declared = session("bigbody2");
		assertThat(post(declared + "/xhr", "").body()).isEqualTo("o\n");
		HttpResponse<String> refused = post(declared + "/xhr_send", frame("x".repeat(BODY_LIMIT)));
		assertThat(refused.statusCode()).isEqualTo(413);
		// Closed (Spring answers every poll of a closed session with c[3000,"Go away!"]).
		assertThat(post(declared + "/xhr", "").body()).startsWith("c[");

		// Without a Content-Length (chunked), the body is read up to the limit only.
		String chunked = session("bigbody3");
		assertThat(post(chunked + "/xhr", "").body()).isEqualTo("o\n");
		byte[] large = frame("y".repeat(4 * BODY_LIMIT)).getBytes(StandardCharsets.UTF_8);
		HttpResponse<String> streamed = this.http.send(HttpRequest.newBuilder(URI.create(chunked + "/xhr_send"))
			.header("Content-Type", "text/plain")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(streamed.statusCode()).isEqualTo(413);

		String healthy = session("smallbody");
		assertThat(post(healthy + "/xhr", "").body()).isEqualTo("o\n");
		assertThat(post(healthy + "/xhr_send", frame(echo(0, "hi"))).statusCode()).isEqualTo(204);
		assertThat(post(healthy + "/xhr", "").body()).startsWith("a[").contains("hi");
	}

	@Test
	void unpolledRepliesBeyondTheByteBudgetCloseOnlyTheirSession() throws Exception {
		String hoarder = session("hoarder1");
		String bystander = session("bystander1");
		assertThat(post(hoarder + "/xhr", "").body()).isEqualTo("o\n");
		assertThat(post(bystander + "/xhr", "").body()).isEqualTo("o\n");
		// 10 replies of ~10,000 characters: well under the 10,000-message cache, over the
		// 64KB budget.
		String text = "z".repeat(10_000);
		for (int i = 0; i < 10; i++) {
			assertThat(post(hoarder + "/xhr_send", frame(echo(i, text))).statusCode()).isIn(204, 404);
		}
		List<String> polled = new ArrayList<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			String body = post(hoarder + "/xhr", "").body();
			polled.add(body);
			return body.startsWith("c[");
		});
		// The replies over budget were dropped with the session, not delivered late.
		assertThat(String.join("", polled).length()).isLessThan(64 * 1024);

		assertThat(post(bystander + "/xhr_send", frame(echo(0, text))).statusCode()).isEqualTo(204);
		assertThat(post(bystander + "/xhr", "").body()).startsWith("a[").contains(text);
	}

	private HttpResponse<String> post(String uri, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(uri))
			.header("Content-Type", "text/plain")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
