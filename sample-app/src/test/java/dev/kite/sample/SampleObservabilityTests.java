package dev.kite.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.kite.test.autoconfigure.AutoConfigureEmbeddedKontrol;
import dev.kite.test.autoconfigure.AutoConfigureKiteTester;
import dev.kite.test.tester.KiteTester;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's Actuator endpoints over HTTP: after a call of {@code square}, its timer is
 * in {@code /actuator/metrics} with the method and outcome tags, the session gauge counts
 * the tester's connection, {@code /actuator/kites} lists the served methods without
 * credentials, and {@code /actuator/health} has the {@code kite} component.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureKiteTester
@AutoConfigureEmbeddedKontrol
class SampleObservabilityTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	KiteTester tester;

	@LocalServerPort
	int port;

	@Test
	void servedCallsShowInActuatorMetrics() throws Exception {
		this.tester.call("square", 3).result(Double.class).isEqualTo(9.0);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode timer = get("/actuator/metrics/kite.server.requests?tag=method:square&tag=outcome:SUCCESS");
			assertThat(timer.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1);
		});
		JsonNode names = get("/actuator/metrics").get("names");
		assertThat(names.valueStream().map(JsonNode::asString)).contains("kite.server.requests",
				"kite.server.connections", "kite.server.calls.active");
		JsonNode sessions = get("/actuator/metrics/kite.server.connections");
		assertThat(sessions.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void theKitesEndpointDescribesTheKite() throws Exception {
		this.tester.call("square", 2).result(Double.class).isEqualTo(4.0);
		HttpResponse<String> response = send("/actuator/kites");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode kites = this.json.readTree(response.body());
		assertThat(kites.get("identity").get("name").asString()).isEqualTo("math");
		assertThat(kites.get("methods").valueStream().map((method) -> method.get("name").asString())).contains("square",
				"squareAuth", "kv.get", "kite.ping");
		assertThat(kites.get("clients").has("math")).isTrue();
		assertThat(kites.get("registration").get("state").asString()).isIn("REGISTERING", "REGISTERED");
		assertThat(response.body()).doesNotContain("eyJ").doesNotContainIgnoringCase("privateKey");
	}

	@Test
	void theHealthHasTheKiteComponent() throws Exception {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(
					() -> assertThat(get("/actuator/health").get("components").get("kite").get("status").asString())
						.isEqualTo("UP"));
	}

	private JsonNode get(String path) throws Exception {
		HttpResponse<String> response = send(path);
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private HttpResponse<String> send(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
