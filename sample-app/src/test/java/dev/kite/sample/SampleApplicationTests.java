package dev.kite.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as it runs: its own {@code math} client calls {@code square}, and
 * {@code GET /demo/square} answers through it.
 *
 * <p>
 * Nothing is overridden: the client's URL names {@code ${local.server.port}}, resolved
 * when the client is first used, so the app on its random port calls itself as it does
 * when run.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	@LocalServerPort
	int port;

	@Autowired
	MathKiteClient math;

	@Test
	void squareThroughTheAppsOwnClient() {
		assertThat(this.math.squareNow(5)).isEqualTo(25.0);
		assertThat(this.math.square(3).join()).isEqualTo(9.0);
	}

	@Test
	void demoEndpointAnswersThroughTheClient() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/demo/square?n=4")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"square\":16.0").contains("\"n\":4.0");
	}

}
