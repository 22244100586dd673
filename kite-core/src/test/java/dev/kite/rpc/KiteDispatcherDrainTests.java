package dev.kite.rpc;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeModule;
import dev.kite.dnode.KiteCallback;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher's part in a graceful shutdown: calls in flight are counted until they
 * are answered; once the drain has begun, new calls get {@code genericError} "server is
 * shutting down" while replies to our own calls still pass.
 */
class KiteDispatcherDrainTests {

	private static final String KITE = "{\"name\":\"cli\",\"username\":\"alice\",\"id\":\"c1\",\"environment\":\"e\","
			+ "\"region\":\"r\",\"version\":\"1.0.0\",\"hostname\":\"h\"}";

	private final JsonMapper mapper = JsonMapper.builder().addModule(new DnodeModule()).build();

	private final List<String> sent = new CopyOnWriteArrayList<>();

	private final KiteSession session = new KiteSession("s1", new DnodeConnection(this.mapper, this.sent::add), false,
			Runnable::run);

	private final KiteMethodRegistry registry = new KiteMethodRegistry();

	private final List<Runnable> queued = new CopyOnWriteArrayList<>();

	private KiteDispatcher dispatcher(Executor executor) {
		return new KiteDispatcher(this.registry, new KiteAuthenticationManager(List.of()), List.of(), List.of(),
				executor, true);
	}

	private static String call(String method) {
		return "{\"method\":\"" + method + "\",\"arguments\":[{\"kite\":" + KITE + ",\"authentication\":null,"
				+ "\"responseCallback\":\"[Function]\",\"withArgs\":[]}],\"callbacks\":{\"0\":[0,\"responseCallback\"]}}";
	}

	private JsonNode reply(int index) {
		return this.mapper.readTree(this.sent.get(index)).get("arguments").get(0);
	}

	@Test
	void aCallInFlightKeepsTheDrainOpenUntilItIsAnswered() {
		CompletableFuture<String> result = new CompletableFuture<>();
		this.registry.register(new KiteMethodDefinition("slow", (invocation) -> result, false, "test slow"));
		KiteDispatcher dispatcher = dispatcher(Runnable::run);
		dispatcher.dispatch(this.session, call("slow"));
		assertThat(dispatcher.drain().inFlight()).isOne();
		CompletableFuture<Void> drained = dispatcher.drain().drain();
		assertThat(drained).isNotDone();
		result.complete("done");
		assertThat(drained).isDone();
		assertThat(reply(0).get("result").stringValue()).isEqualTo("done");
	}

	@Test
	void aCallQueuedOnTheExecutorIsInFlight() {
		this.registry.register(new KiteMethodDefinition("m", (invocation) -> "ran", false, "test m"));
		KiteDispatcher dispatcher = dispatcher(this.queued::add);
		dispatcher.dispatch(this.session, call("m"));
		CompletableFuture<Void> drained = dispatcher.drain().drain();
		assertThat(drained).isNotDone();
		this.queued.forEach(Runnable::run);
		assertThat(drained).isDone();
		assertThat(reply(0).get("result").stringValue()).isEqualTo("ran");
	}

	@Test
	void callsAfterTheDrainBeganGetGenericErrorServerIsShuttingDown() {
		this.registry.register(new KiteMethodDefinition("m", (invocation) -> "ran", false, "test m"));
		KiteDispatcher dispatcher = dispatcher(this.queued::add);
		dispatcher.drain().drain();
		dispatcher.dispatch(this.session, call("m"));
		dispatcher.dispatch(this.session, call("unknown"));
		assertThat(this.queued).isEmpty();
		for (int i = 0; i < 2; i++) {
			JsonNode error = reply(i).get("error");
			assertThat(error.get("type").stringValue()).isEqualTo("genericError");
			assertThat(error.get("message").stringValue()).isEqualTo("server is shutting down");
			assertThat(error.get("id").stringValue()).isNotEmpty();
		}
		assertThat(dispatcher.drain().inFlight()).isZero();
	}

	@Test
	void aCallTheExecutorRefusesIsCountedOut() {
		this.registry.register(new KiteMethodDefinition("m", (invocation) -> "ran", false, "test m"));
		KiteDispatcher dispatcher = dispatcher((task) -> {
			throw new RejectedExecutionException("full");
		});
		dispatcher.dispatch(this.session, call("m"));
		assertThat(reply(0).get("error").get("type").stringValue()).isEqualTo("requestLimitError");
		assertThat(dispatcher.drain().drain()).isDone();
	}

	@Test
	void repliesToOurOwnCallsStillPassWhileDraining() {
		List<JsonNode> answers = new CopyOnWriteArrayList<>();
		this.session.connection().encode("m", (KiteCallback) (arguments) -> answers.add(arguments[0]));
		KiteDispatcher dispatcher = dispatcher(Runnable::run);
		dispatcher.drain().drain();
		dispatcher.dispatch(this.session, "{\"method\":0,\"arguments\":[42],\"callbacks\":{}}");
		assertThat(answers).extracting(JsonNode::intValue).containsExactly(42);
	}

}
