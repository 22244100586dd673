package dev.kite.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.test.ManualTaskScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Calls made while a dial is pending, and the named-client registry, against dials the
 * test holds open and a scheduler whose time the test moves.
 */
class KiteConnectionDialingTest {

	private static final String URL = "ws://kite.test/kite/websocket";

	/** Only guards against a regression that blocks; the assertions never wait for it. */
	private static final Duration NEVER_BLOCKS = Duration.ofSeconds(5);

	private final JsonMapper json = JsonMapper.builder().build();

	private final ManualTaskScheduler scheduler = new ManualTaskScheduler();

	private final HeldWebSocketClient webSocket = new HeldWebSocketClient();

	private KiteClientFactory factory;

	@BeforeEach
	void createFactory() {
		this.factory = KiteClientFactory.builder()
			.webSocketClient(this.webSocket)
			.taskScheduler(this.scheduler)
			.build();
	}

	@AfterEach
	void closeFactory() {
		this.factory.close();
	}

	private KiteConnection connection(boolean reconnect) {
		return this.factory.create(KiteClientOptions.builder(URL)
			.reconnect(reconnect)
			.timeout(Duration.ofSeconds(2))
			.connectTimeout(Duration.ofSeconds(15))
			.build());
	}

	@Test
	void aCallMadeWhileDialingIsSentOnceConnectedAndAnswered() throws Exception {
		KiteConnection connection = connection(false);
		connection.connect();
		HeldWebSocketClient.Dial dial = this.webSocket.nextDial();

		CompletableFuture<Double> square = connection.method("square").args(4).retrieve(Double.class);
		assertThat(square).isNotDone();

		FakeWebSocketClient.FakeSession peer = dial.open();
		JsonNode sent = this.json.readTree(peer.nextSent());
		assertThat(sent.get("method").asString()).isEqualTo("square");
		assertThat(sent.get("arguments").get(0).get("withArgs").toString()).isEqualTo("[4]");
		long responseId = Long.parseLong(sent.get("callbacks").propertyNames().iterator().next());
		peer.deliver("{\"method\":" + responseId + ",\"arguments\":[{\"error\":null,\"result\":16}],\"callbacks\":{}}");
		assertThat(square.get(5, TimeUnit.SECONDS)).isEqualTo(16.0);
	}

	@Test
	void aCallWaitsForAHangingDialAtMostItsTimeout() throws Exception {
		KiteConnection connection = connection(true);
		connection.connect();
		this.webSocket.nextDial(); // never answers

		CompletableFuture<JsonNode> call = connection.method("square").args(4).retrieve();
		this.scheduler.advance(Duration.ofMillis(1999));
		assertThat(call).isNotDone();
		this.scheduler.advance(Duration.ofMillis(1));

		assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.type()).isEqualTo(KiteErrorTypes.TIMEOUT));
	}

	@Test
	void aCallFailsWithDisconnectWhenTheDialItWaitsForFails() throws Exception {
		KiteConnection connection = connection(false);
		connection.connect();
		HeldWebSocketClient.Dial dial = this.webSocket.nextDial();
		CompletableFuture<JsonNode> call = connection.call("square", 4);

		dial.fail();

		assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.type()).isEqualTo(KiteErrorTypes.DISCONNECT));
		assertThat(this.scheduler.pending()).as("the call's timer is cancelled").isEmpty();
	}

	@Test
	void closingWhileDialingFailsWaitingCallsAtOnce() throws Exception {
		KiteConnection connection = connection(true);
		connection.connect();
		HeldWebSocketClient.Dial dial = this.webSocket.nextDial();
		CompletableFuture<JsonNode> call = connection.call("square", 4);

		connection.close();

		assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.getMessage()).isEqualTo("sendError: can't send, client is closed"));
		FakeWebSocketClient.FakeSession late = dial.open(); // the dial answers after all:
															// hung up at once
		assertThat(late.isOpen()).isFalse();
	}

	@Test
	void aStoppingApplicationEndsRedialingQuietly() throws Exception {
		KiteConnection connection = connection(true);
		connection.connect();
		FakeWebSocketClient.FakeSession peer = this.webSocket.nextDial().open();
		this.scheduler.shutdown();

		peer.drop(); // the server closes its sessions as it stops; nothing may escape to
						// the transport

		assertThat(connection.isConnected()).isFalse();
		assertThat(this.webSocket.dials).isEmpty();
		assertThatThrownBy(() -> connection.call("square", 4).get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.type()).isEqualTo(KiteErrorTypes.SEND_ERROR));
	}

	@Test
	void namedClientsNeverWaitForTheirDial() throws Exception {
		KiteClients clients = new KiteClients(this.factory,
				Map.of("math", KiteClientOptions.builder(URL).reconnect(true).build()));

		KiteConnection math = assertTimeoutPreemptively(NEVER_BLOCKS, () -> clients.client("math"));
		assertThat(math.isConnected()).isFalse();
		assertThat(clients.client("math")).isSameAs(math);
		this.webSocket.nextDial(); // hangs
		assertThat(this.webSocket.dials).as("one dial at a time").isEmpty();

		assertTimeoutPreemptively(NEVER_BLOCKS, clients::close);
		assertThat(math.isClosed()).isTrue();
		assertThatThrownBy(() -> clients.client("math")).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void namedClientOptionsCanBeResolvedOnFirstUse() throws Exception {
		AtomicInteger resolved = new AtomicInteger();
		Map<String, java.util.function.Supplier<KiteClientOptions>> options = new LinkedHashMap<>();
		options.put("math", () -> {
			resolved.incrementAndGet();
			return KiteClientOptions.builder(URL).build();
		});
		KiteClients clients = KiteClients.resolvedOnFirstUse(this.factory, options)
			.withOptions((value) -> value.toBuilder().timeout(Duration.ofSeconds(3)).build());
		assertThat(clients.names()).containsExactly("math");
		assertThat(resolved).hasValue(0);

		KiteConnection math = clients.client("math");
		clients.client("math");

		assertThat(resolved).hasValue(1);
		assertThat(math.options().timeout()).isEqualTo(Duration.ofSeconds(3));
		clients.close();
	}

}
