package dev.kite.interop;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample app's client demo: {@code GET /demo/square} calls the {@code math}
 * kite through the declarative {@code MathKiteClient} over a real kite connection.
 */
@ExtendWith(SampleAppExtension.class)
class SampleClientDemoTest {

	@Test
	void demoCallsTheMathKiteThroughTheDeclarativeClient(SampleApp app) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/demo/square?n=4"))
				.timeout(Duration.ofSeconds(20))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = JsonMapper.builder().build().readTree(response.body());
		assertThat(body.get("square").asDouble()).isEqualTo(16.0);
		assertThat(body.get("n").asDouble()).isEqualTo(4.0);
	}

}
