package dev.kite.rpc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeModule;
import dev.kite.dnode.KiteCallback;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.test.ManualTaskScheduler;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link KitePeer} on the wire: the request it sends, and the answers it reads, delivered
 * through the {@link KiteDispatcher} as a peer's frames would be. Timeouts run on a
 * {@link ManualTaskScheduler}; everything else on the test's thread.
 */
class KitePeerTests {

	private static final Kite SELF = new Kite("math", "kontrol", "k1", "development", "local", "1.0.0", "host");

	private final JsonMapper mapper = JsonMapper.builder().addModule(new DnodeModule()).build();

	private final List<String> sent = new CopyOnWriteArrayList<>();

	private final KiteSession session = new KiteSession("s1", new DnodeConnection(this.mapper, this.sent::add), false,
			Runnable::run);

	private final ManualTaskScheduler scheduler = new ManualTaskScheduler();

	private final KitePeers peers = new KitePeers(() -> SELF, this.scheduler, Runnable::run, Duration.ofSeconds(4));

	private final KiteDispatcher dispatcher = new KiteDispatcher(new KiteMethodRegistry(),
			new KiteAuthenticationManager(List.of()), List.of(), List.of(), Runnable::run, true);

	private final KitePeer peer = this.peers.of(this.session);

	@Test
	void sendsAKiteRequestWithOurIdentityNoAuthenticationAndArrayArguments() {
		this.peer.call("notify", "hello", 3);

		assertThat(this.sent).hasSize(1);
		JsonNode message = this.mapper.readTree(this.sent.get(0));
		assertThat(message.get("method").asString()).isEqualTo("notify");
		assertThat(message.get("arguments")).hasSize(1);
		JsonNode envelope = message.get("arguments").get(0);
		assertThat(envelope.propertyNames()).containsExactly("kite", "authentication", "withArgs", "responseCallback");
		assertThat(this.mapper.treeToValue(envelope.get("kite"), Kite.class)).isEqualTo(SELF);
		assertThat(envelope.get("authentication").isNull()).isTrue();
		assertThat(envelope.get("withArgs").toString()).isEqualTo("[\"hello\",3]");
		assertThat(envelope.get("responseCallback").asString()).isEqualTo("[Function]");
		assertThat(message.get("callbacks").toString()).isEqualTo("{\"0\":[0,\"responseCallback\"]}");
	}

	@Test
	void noArgumentsAreSentAsAnEmptyArray() {
		this.peer.call("kite.ping");

		JsonNode envelope = this.mapper.readTree(this.sent.get(0)).get("arguments").get(0);
		assertThat(envelope.get("withArgs").toString()).isEqualTo("[]");
	}

	@Test
	void readsTheErrorResultObjectOfGoAndJavaKites() {
		CompletableFuture<JsonNode> call = this.peer.call("notify", "x");

		answer(callbackId(0), "{\"error\":null,\"result\":\"shown\"}");

		assertThat(call).isCompletedWithValueMatching((result) -> "shown".equals(result.asString()));
		assertThat(this.session.connection().callbackCount()).isZero();
		assertThat(this.peer.pendingCallCount()).isZero();
	}

	@Test
	void readsTheKiteJsClientsPositionalAnswer() {
		CompletableFuture<JsonNode> call = this.peer.call("notify", "x");

		answer(callbackId(0), "null,\"shown\"");

		assertThat(call).isCompletedWithValueMatching((result) -> "shown".equals(result.asString()));
	}

	@Test
	void thePeersErrorFailsTheCall() {
		CompletableFuture<JsonNode> positional = this.peer.call("notify", "x");
		CompletableFuture<JsonNode> object = this.peer.call("notify", "y");

		answer(callbackId(0), "{\"message\":\"nope\"},null");
		answer(callbackId(1), "{\"error\":{\"type\":\"methodNotFound\",\"message\":\"Method not found: notify\"}}");

		assertThat(failure(positional).error().message()).isEqualTo("nope");
		assertThat(failure(object).type()).isEqualTo(KiteErrorTypes.METHOD_NOT_FOUND);
	}

	@Test
	void anAnswerOfAnotherShapeIsAnInvalidResponse() {
		CompletableFuture<JsonNode> call = this.peer.call("notify", "x");

		answer(callbackId(0), "1,2,3");

		assertThat(failure(call).type()).isEqualTo(KiteErrorTypes.INVALID_RESPONSE);
	}

	@Test
	void noAnswerWithinTheTimeoutFailsTheCallAndForgetsItsCallback() {
		CompletableFuture<JsonNode> byDefault = this.peer.call("notify", "x");
		CompletableFuture<JsonNode> own = this.peer.callWithTimeout(Duration.ofMillis(500), "notify", "y");

		this.scheduler.advance(Duration.ofMillis(500));
		assertThat(byDefault).isNotDone();
		assertThat(failure(own).error().message()).isEqualTo("No response to \"notify\" method in 500ms");
		this.scheduler.advance(Duration.ofMillis(3500));

		KiteException timeout = failure(byDefault);
		assertThat(timeout.type()).isEqualTo(KiteErrorTypes.TIMEOUT);
		assertThat(timeout.error().message()).isEqualTo("No response to \"notify\" method in 4s");
		assertThat(this.session.connection().callbackCount()).isZero();
		// a late answer is dropped
		answer(callbackId(0), "{\"error\":null,\"result\":1}");
		assertThat(this.peer.pendingCallCount()).isZero();
	}

	@Test
	void theConnectionsEndFailsWaitingCallsWithDisconnect() {
		CompletableFuture<JsonNode> call = this.peer.call("notify", "x");

		this.session.close();

		assertThat(failure(call).type()).isEqualTo(KiteErrorTypes.DISCONNECT);
		assertThat(this.scheduler.pending()).isEmpty();
	}

	@Test
	void callsOnAClosedConnectionFailWithoutWaiting() {
		this.session.close();

		assertThat(failure(this.peer.call("notify", "x")).type()).isEqualTo(KiteErrorTypes.DISCONNECT);
		assertThat(this.sent).isEmpty();
		assertThat(this.scheduler.pending()).isEmpty();
	}

	@Test
	void theFunctionsAmongTheArgumentsReachThePeer() {
		List<String> seen = new CopyOnWriteArrayList<>();
		this.peer.call("subscribe", (KiteCallback) (args) -> seen.add(args[0].asString()));

		JsonNode message = this.mapper.readTree(this.sent.get(0));
		// the argument's function first, then the response callback (kite.js's order)
		assertThat(message.get("callbacks").toString())
			.isEqualTo("{\"0\":[0,\"withArgs\",0],\"1\":[0,\"responseCallback\"]}");
		this.dispatcher.dispatch(this.session, "{\"method\":0,\"arguments\":[\"event\"],\"callbacks\":{}}");
		assertThat(seen).containsExactly("event");
	}

	@Test
	void theTimeoutMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.peer.callWithTimeout(Duration.ZERO, "notify"));
	}

	private long callbackId(int message) {
		JsonNode callbacks = this.mapper.readTree(this.sent.get(message)).get("callbacks");
		String id = callbacks.propertyNames()
			.stream()
			.filter((key) -> callbacks.get(key).toString().contains("responseCallback"))
			.findFirst()
			.orElseThrow();
		return Long.parseLong(id);
	}

	private void answer(long callbackId, String arguments) {
		this.dispatcher.dispatch(this.session,
				"{\"method\":" + callbackId + ",\"arguments\":[" + arguments + "],\"callbacks\":{}}");
	}

	private static KiteException failure(CompletableFuture<JsonNode> call) {
		assertThat(call).isCompletedExceptionally();
		Throwable cause = call.handle((result, ex) -> ex).join();
		assertThat(cause).isInstanceOf(KiteException.class);
		return (KiteException) cause;
	}

}
