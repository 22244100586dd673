package dev.kite.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.kite.observation.DefaultKiteClientObservationConvention;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteException;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The {@code kite.client.requests} observation of a {@link KiteCall}, against a
 * hand-played peer.
 */
class KiteCallObservationTests {

	private static final Kite ME = new Kite("tester", "alice", "4c1f7e44-0000-4000-8000-000000000001", "test", "eu",
			"1.0.0", "laptop");

	private final JsonMapper json = JsonMapper.builder().build();

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private KiteClientFactory factory;

	private KiteConnection client;

	private FakeWebSocketClient.FakeSession peer;

	@BeforeEach
	void connect() throws Exception {
		FakeWebSocketClient webSocket = new FakeWebSocketClient();
		this.factory = KiteClientFactory.builder()
			.webSocketClient(webSocket)
			.observationRegistry(this.registry)
			.build();
		this.client = this.factory.create(KiteClientOptions.builder("ws://kite.test/kite/websocket").kite(ME).build());
		this.client.connect().get(5, TimeUnit.SECONDS);
		this.peer = webSocket.nextSession();
	}

	@AfterEach
	void close() {
		this.factory.close();
	}

	private long responseCallbackId() throws InterruptedException {
		JsonNode sent = this.json.readTree(this.peer.nextSent());
		return sent.get("callbacks").propertyNames().stream().mapToLong(Long::parseLong).max().getAsLong();
	}

	@Test
	void aSuccessfulCallIsObservedUntilTheAnswerArrives() throws Exception {
		CompletableFuture<Integer> square = this.client.method("square").args(4).retrieve(Integer.class);
		long id = responseCallbackId();
		assertThat(this.registry).hasSingleObservationThat().isNotStopped();
		this.peer.deliver("{\"method\":" + id + ",\"arguments\":[{\"error\":null,\"result\":16}],\"callbacks\":{}}");
		assertThat(square.get(5, TimeUnit.SECONDS)).isEqualTo(16);
		await().untilAsserted(() -> assertThat(this.registry).hasSingleObservationThat().hasBeenStopped());
		assertThat(this.registry).hasSingleObservationThat()
			.hasNameEqualTo(DefaultKiteClientObservationConvention.NAME)
			.hasLowCardinalityKeyValue("method", "square")
			.hasLowCardinalityKeyValue("outcome", "SUCCESS")
			.hasLowCardinalityKeyValue("error.type", "none")
			.hasHighCardinalityKeyValue("url", "ws://kite.test/kite/websocket");
	}

	@Test
	void aRemoteErrorIsObservedWithItsType() throws Exception {
		CompletableFuture<JsonNode> call = this.client.method("square").args("x").retrieve();
		long id = responseCallbackId();
		this.peer.deliver("{\"method\":" + id + ",\"arguments\":[{\"error\":{\"type\":\"argumentError\","
				+ "\"message\":\"not a number\"},\"result\":null}],\"callbacks\":{}}");
		assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
			.hasCauseInstanceOf(KiteException.class);
		await().untilAsserted(() -> assertThat(this.registry).hasSingleObservationThat().hasBeenStopped());
		assertThat(this.registry).hasSingleObservationThat()
			.hasLowCardinalityKeyValue("outcome", "ERROR")
			.hasLowCardinalityKeyValue("error.type", "argumentError");
	}

}
