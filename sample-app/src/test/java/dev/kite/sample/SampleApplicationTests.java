package dev.kite.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as it runs: its own {@code math} client calls {@code square}, and
 * {@code GET /demo/square} answers through it.
 *
 * <p>
 * The client's URL must be known before the context starts, and a random port is known
 * only after: so the client calls a second instance of the sample, started first on an
 * ephemeral port.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	private static ConfigurableApplicationContext mathKite;

	@LocalServerPort
	int port;

	@Autowired
	MathKiteClient math;

	@DynamicPropertySource
	static void mathKiteUrl(DynamicPropertyRegistry registry) {
		mathKite = new SpringApplicationBuilder(SampleApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.run();
		String port = mathKite.getEnvironment().getProperty("local.server.port");
		registry.add("kite.clients.math.url", () -> "http://127.0.0.1:" + port + "/kite");
	}

	@AfterAll
	static void stopMathKite() {
		if (mathKite != null) {
			mathKite.close();
		}
	}

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
