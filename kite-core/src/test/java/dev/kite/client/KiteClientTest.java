package dev.kite.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.kite.dnode.KiteCallback;
import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The client against a hand-played peer: what goes on the wire, and how answers, silence
 * and drops are handled.
 */
class KiteClientTest {

	private static final Kite ME = new Kite("tester", "alice", "4c1f7e44-0000-4000-8000-000000000001", "test", "eu",
			"1.0.0", "laptop");

	private final JsonMapper json = JsonMapper.builder().build();

	private FakeWebSocketClient webSocket;

	private KiteClientFactory factory;

	private KiteConnection client;

	private FakeWebSocketClient.FakeSession peer;

	@BeforeEach
	void connect() throws Exception {
		this.webSocket = new FakeWebSocketClient();
		this.factory = KiteClientFactory.builder().webSocketClient(this.webSocket).build();
		this.client = this.factory.create(KiteClientOptions.builder("ws://kite.test/kite/websocket").kite(ME).build());
		this.client.connect().get(5, TimeUnit.SECONDS);
		this.peer = this.webSocket.nextSession();
	}

	@AfterEach
	void close() {
		this.factory.close();
	}

	private JsonNode sent() throws InterruptedException {
		return this.json.readTree(this.peer.nextSent());
	}

	@Test
	void envelopeHasTheIdentityNullAuthEmptyWithArgsAndTheResponseCallbackLast() throws Exception {
		this.client.call("kite.ping");

		String text = this.peer.nextSent();
		assertThat(text).isEqualTo("{\"method\":\"kite.ping\",\"arguments\":[{\"kite\":{\"name\":\"tester\","
				+ "\"username\":\"alice\",\"id\":\"4c1f7e44-0000-4000-8000-000000000001\",\"environment\":\"test\","
				+ "\"region\":\"eu\",\"version\":\"1.0.0\",\"hostname\":\"laptop\"},\"authentication\":null,"
				+ "\"withArgs\":[],\"responseCallback\":\"[Function]\"}],\"callbacks\":{\"0\":[0,\"responseCallback\"]}}");
	}

	@Test
	void nullVarargsStillSendAnArray() throws Exception {
		this.client.call("kite.ping", (Object[]) null);
		assertThat(sent().get("arguments").get(0).get("withArgs").isArray()).isTrue();
	}

	@Test
	void authenticationAndCallbacksInArguments() throws Exception {
		this.client.setAuth(new Auth(Auth.TOKEN, "eyJ.token"));
		record Watch(String key, KiteCallback onChange) {
		}
		KiteCallback first = (args) -> {
		};
		this.client.call("watch", 4, first, List.of(Map.of("deep", (KiteCallback) (args) -> {
		})), new Watch("k", (args) -> {
		}));

		JsonNode message = sent();
		JsonNode envelope = message.get("arguments").get(0);
		assertThat(envelope.get("authentication").toString()).isEqualTo("{\"type\":\"token\",\"key\":\"eyJ.token\"}");
		assertThat(envelope.get("withArgs").toString())
			.isEqualTo("[4,\"[Function]\",[{\"deep\":\"[Function]\"}],{\"key\":\"k\",\"onChange\":\"[Function]\"}]");
		assertThat(message.get("callbacks").toString()).isEqualTo("{\"0\":[0,\"withArgs\",1],"
				+ "\"1\":[0,\"withArgs\",2,0,\"deep\"],\"2\":[0,\"withArgs\",3,\"onChange\"],\"3\":[0,\"responseCallback\"]}");
		assertThat(this.client.callbackCount()).isEqualTo(4);
	}

	@Test
	void aSwappedAuthenticationIsSentFromTheNextCallOn() throws Exception {
		// the link renders the authentication once and reuses it while it stays the same
		this.client.setAuth(new Auth(Auth.TOKEN, "eyJ.first"));
		this.client.call("kite.ping");
		this.client.call("kite.ping");
		this.client.setAuth(new Auth(Auth.KITE_KEY, "eyJ.second"));
		this.client.call("kite.ping");
		this.client.setAuth(null);
		this.client.call("kite.ping");

		assertThat(sent().get("arguments").get(0).get("authentication").toString())
			.isEqualTo("{\"type\":\"token\",\"key\":\"eyJ.first\"}");
		assertThat(sent().get("arguments").get(0).get("authentication").toString())
			.isEqualTo("{\"type\":\"token\",\"key\":\"eyJ.first\"}");
		assertThat(sent().get("arguments").get(0).get("authentication").toString())
			.isEqualTo("{\"type\":\"kiteKey\",\"key\":\"eyJ.second\"}");
		assertThat(sent().get("arguments").get(0).get("authentication").isNull()).isTrue();
	}

	@Test
	void bothResponseFormsComplete() throws Exception {
		CompletableFuture<Integer> square = this.client.call("square", Integer.class, 4);
		CompletableFuture<JsonNode> ping = this.client.call("kite.ping");
		long squareId = sent().get("callbacks").propertyNames().stream().mapToLong(Long::parseLong).max().getAsLong();
		long pingId = sent().get("callbacks").propertyNames().stream().mapToLong(Long::parseLong).max().getAsLong();

		this.peer.deliver("{\"method\":" + pingId + ",\"arguments\":[null,\"pong\"],\"links\":[]}");
		this.peer
			.deliver("{\"method\":" + squareId + ",\"arguments\":[{\"error\":null,\"result\":16}],\"callbacks\":{}}");

		assertThat(square.get(5, TimeUnit.SECONDS)).isEqualTo(16);
		assertThat(ping.get(5, TimeUnit.SECONDS).asString()).isEqualTo("pong");
		assertThat(this.client.callbackCount()).isZero();
		assertThat(this.client.pendingCallCount()).isZero();
	}

	@Test
	void invalidResponsesAndUnreadableResultsFailWithInvalidResponse() throws Exception {
		CompletableFuture<JsonNode> empty = this.client.call("a");
		long emptyId = 0;
		this.peer.nextSent();
		CompletableFuture<Integer> text = this.client.call("b", Integer.class);
		long textId = 1;
		this.peer.nextSent();

		this.peer.deliver("{\"method\":" + emptyId + ",\"arguments\":[]}");
		this.peer.deliver("{\"method\":" + textId + ",\"arguments\":[{\"result\":\"not a number\"}]}");

		assertThatThrownBy(() -> empty.get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.getMessage()).isEqualTo("invalidResponse: Invalid array length"));
		assertThatThrownBy(() -> text.get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.type()).isEqualTo(KiteErrorTypes.INVALID_RESPONSE));
	}

	@Test
	void timeoutRemovesTheResponseCallbackAndALateAnswerIsIgnored() throws Exception {
		CompletableFuture<JsonNode> call = this.client.callWithTimeout(Duration.ofMillis(50), "slow");
		this.peer.nextSent();
		assertThat(this.client.callbackCount()).isEqualTo(1);

		assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.getMessage()).isEqualTo("timeout: No response to \"slow\" method in 50ms"));
		assertThat(this.client.callbackCount()).isZero();
		assertThat(this.client.pendingCallCount()).isZero();

		this.peer.deliver("{\"method\":0,\"arguments\":[{\"error\":null,\"result\":1}],\"callbacks\":{}}");
		assertThat(this.client.callbackCount()).isZero();
	}

	@Test
	void callbacksPassedInArgumentsStayAfterTheResponse() throws Exception {
		StringBuilder seen = new StringBuilder();
		CompletableFuture<JsonNode> call = this.client.call("watch", (KiteCallback) (args) -> {
			synchronized (seen) {
				seen.append(args[0].asInt());
			}
		});
		this.peer.nextSent();
		this.peer.deliver("{\"method\":1,\"arguments\":[{\"error\":null,\"result\":true}]}");
		call.get(5, TimeUnit.SECONDS);
		for (int i = 1; i <= 5; i++) {
			this.peer.deliver("{\"method\":0,\"arguments\":[" + i + "]}");
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			synchronized (seen) {
				return seen.toString().equals("12345");
			}
		});
		assertThat(this.client.callbackCount()).isEqualTo(1);
	}

	@Test
	void dropFailsPendingCallsThenRefusesNewOnes() throws Exception {
		CompletableFuture<JsonNode> first = this.client.call("a");
		CompletableFuture<JsonNode> second = this.client.call("b");

		this.peer.drop();

		for (CompletableFuture<JsonNode> call : List.of(first, second)) {
			assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).cause()
				.isInstanceOfSatisfying(KiteException.class,
						(ex) -> assertThat(ex.getMessage()).isEqualTo("disconnect: Remote kite has disconnected"));
		}
		assertThat(this.client.isConnected()).isFalse();
		assertThatThrownBy(() -> this.client.call("c").get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(KiteException.class, (ex) -> assertThat(ex.getMessage())
				.isEqualTo("sendError: can't send, session is not established yet"));

		// without reconnection, connect() dials again on request
		this.client.connect().get(5, TimeUnit.SECONDS);
		assertThat(this.webSocket.nextSession()).isNotSameAs(this.peer);
	}

	@Test
	void servesThePeersCallsTrustedByDefault() throws Exception {
		// the default dispatcher serves the built-ins; kite.ping needs no auth,
		// kite.systemInfo does
		this.peer.deliver("{\"method\":\"kite.systemInfo\",\"arguments\":[{\"kite\":null,\"authentication\":null,"
				+ "\"withArgs\":[],\"responseCallback\":\"[Function]\"}],\"callbacks\":{\"0\":[0,\"responseCallback\"]}}");
		JsonNode reply = sent();
		assertThat(reply.get("method").asInt()).isZero();
		assertThat(reply.get("arguments").get(0).get("error").isNull()).isTrue();
		assertThat(reply.get("arguments").get(0).get("result").isObject()).isTrue();
	}

	@Test
	void authenticateIncomingRequiresAuthFromThePeer() throws Exception {
		KiteConnection strict = this.factory
			.create(KiteClientOptions.builder("ws://kite.test/kite/websocket").authenticateIncoming(true).build());
		strict.connect().get(5, TimeUnit.SECONDS);
		FakeWebSocketClient.FakeSession strictPeer = this.webSocket.nextSession();

		strictPeer.deliver("{\"method\":\"kite.systemInfo\",\"arguments\":[{\"withArgs\":[],"
				+ "\"responseCallback\":\"[Function]\"}],\"callbacks\":{\"0\":[0,\"responseCallback\"]}}");
		JsonNode reply = this.json.readTree(strictPeer.nextSent());
		assertThat(reply.get("arguments").get(0).get("error").get("type").asString())
			.isEqualTo(KiteErrorTypes.AUTHENTICATION_ERROR);
	}

	@Test
	void expiredTokenErrorsNotifyTheRenewer() throws Exception {
		java.util.concurrent.atomic.AtomicInteger expired = new java.util.concurrent.atomic.AtomicInteger();
		this.client.onTokenExpired(expired::incrementAndGet);
		CompletableFuture<JsonNode> other = this.client.call("a");
		this.peer.nextSent();
		CompletableFuture<JsonNode> expiring = this.client.call("b");
		this.peer.nextSent();

		this.peer.deliver("{\"method\":0,\"arguments\":[{\"error\":{\"type\":\"authenticationError\","
				+ "\"message\":\"kiteKey: kontrol key is not trusted\"},\"result\":null}]}");
		this.peer.deliver("{\"method\":1,\"arguments\":[{\"error\":{\"type\":\"authenticationError\","
				+ "\"message\":\"token: token is expired by 1m5s\"},\"result\":null}]}");

		assertThatThrownBy(() -> other.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(KiteException.class);
		assertThatThrownBy(() -> expiring.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(KiteException.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> expired.get() == 1);
	}

	@Test
	void closeFailsPendingCallsAndRefusesNewOnes() throws Exception {
		CompletableFuture<JsonNode> pending = this.client.call("a");
		this.client.close();

		assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(KiteException.class, (ex) -> assertThat(ex.type()).isEqualTo("disconnect"));
		assertThat(this.peer.isOpen()).isFalse();
		assertThatThrownBy(() -> this.client.call("b").get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.getMessage()).isEqualTo("sendError: can't send, client is closed"));
	}

}
