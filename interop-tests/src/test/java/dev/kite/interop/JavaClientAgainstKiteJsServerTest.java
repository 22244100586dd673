package dev.kite.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.kite.client.KiteConnection;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.Transport;
import dev.kite.dnode.DnodeTrees;
import dev.kite.dnode.KiteCallback;
import dev.kite.dnode.RemoteCallback;
import dev.kite.protocol.KiteException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our Java client ({@code dev.kite.client}) against a real, unmodified kite.js 1.0.13
 * {@code KiteServer} ({@code src/test/js/kite-server.js}) in both of its server modes:
 * the default plain {@code ws} server (raw dnode frames) and
 * {@code KiteServer.transport.SockJS} (sockjs-node, prefix {@code /kite}), which we reach
 * over SockJS WebSocket, SockJS XHR polling, and its raw {@code /kite/websocket}
 * endpoint.
 *
 * <p>
 * One Node process per server mode serves the whole class; every test opens its own
 * client. The assertions pin what kite.js really sends (PROTOCOL §3.3–3.5, §8.6, §8.7):
 * callbacks it invokes arrive rewritten as one {@code {"error":arg0,"result":arg1}}
 * object, a handler's {@code Error} arrives without a {@code type}, and unknown methods
 * get no answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JavaClientAgainstKiteJsServerTest {

	/** Per-call timeout for the calls that kite.js never answers. */
	private static final Duration SHORT = Duration.ofMillis(500);

	private static final Duration WAIT = Duration.ofSeconds(10);

	private KiteJsServer rawServer;

	private KiteJsServer sockJsServer;

	private KiteClientFactory factory;

	/** A way to reach one of the kite.js servers. */
	record Variant(String name, String serverMode, Transport transport, boolean rawUrl) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static Stream<Variant> variants() {
		return Stream.of(
				// kite.js default server: a plain ws server; dialed with a ws:// URL (raw
				// frames)
				new Variant("raw server, ws:// URL", "raw", Transport.WEBSOCKET, true),
				// KiteServer.transport.SockJS at http://127.0.0.1:PORT/kite
				new Variant("sockjs server, SockJS WebSocket", "sockjs", Transport.WEBSOCKET, false),
				new Variant("sockjs server, SockJS XHR polling", "sockjs", Transport.XHR_POLLING, false),
				// sockjs-node's raw endpoint {prefix}/websocket, via
				// Transport.RAW_WEBSOCKET on the http URL
				new Variant("sockjs server, raw /kite/websocket", "sockjs", Transport.RAW_WEBSOCKET, false));
	}

	@BeforeAll
	void startServers() {
		this.factory = KiteClientFactory.builder().build();
		this.rawServer = KiteJsServer.start("raw");
		this.sockJsServer = KiteJsServer.start("sockjs");
	}

	@AfterAll
	void stopServers() {
		if (this.factory != null) {
			this.factory.close();
		}
		if (this.rawServer != null) {
			this.rawServer.close();
		}
		if (this.sockJsServer != null) {
			this.sockJsServer.close();
		}
	}

	private KiteJsServer server(Variant variant) {
		return variant.serverMode().equals("raw") ? this.rawServer : this.sockJsServer;
	}

	private KiteConnection connect(Variant variant) {
		KiteJsServer server = server(variant);
		String url = variant.rawUrl() ? server.rawWebSocketUrl() : server.sockJsUrl();
		KiteConnection client = this.factory.create(KiteClientOptions.builder(url)
			.transport(variant.transport())
			.timeout(WAIT)
			.connectTimeout(WAIT)
			.build());
		client.connect().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
		return client;
	}

	private String context(Variant variant) {
		return variant + "\n" + server(variant).logTail();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("variants")
	void square(Variant variant) {
		try (KiteConnection client = connect(variant)) {
			assertThat(client.call("square", Integer.class, 4).join()).as(context(variant)).isEqualTo(16);
			assertThat(client.callAndWait("square", 4).isIntegralNumber()).isTrue();
		}
	}

	/**
	 * kite.js calls {@code fn(6)}; KiteServer rewrites every outgoing dnode message as
	 * {@code [{"error":arg0,"result":arg1}]} (undefined {@code result} omitted by
	 * JSON.stringify), so our callback gets exactly one argument, {@code {"error":6}},
	 * not {@code 6}.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("variants")
	void callbackArrivesInKiteJsRewrittenShape(Variant variant) throws Exception {
		try (KiteConnection client = connect(variant)) {
			BlockingQueue<List<JsonNode>> calls = new LinkedBlockingQueue<>();
			KiteCallback fn = (JsonNode... args) -> calls.add(List.of(args));
			JsonNode result = client.call("callback", 3, fn).join();
			assertThat(result.isNull()).as(context(variant)).isTrue();
			List<JsonNode> args = calls.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(args).as(context(variant)).isNotNull().hasSize(1);
			assertThat(args.get(0).toString()).isEqualTo("{\"error\":6}");
			assertThat(calls.poll(200, TimeUnit.MILLISECONDS)).as("called once").isNull();

			client.call("echoCallbackArg", fn).join();
			args = calls.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(args).as(context(variant)).isNotNull().hasSize(1);
			assertThat(args.get(0).toString()).isEqualTo("{\"error\":\"ping\"}");
		}
	}

	/**
	 * Callbacks both ways. kite.js calls our function with a JS function: the frame is
	 * {@code {"method":N,"arguments":[{"error":"[Function]"}],"callbacks":{"K":["0"]}}}
	 * (the §8.6 rewrite happens after dnode scrubbed the arguments, so the path
	 * {@code ["0"]} names the whole rewritten argument), and dnode semantics put the
	 * function at {@code arguments[0]}: our {@link KiteCallback} gets a
	 * {@link RemoteCallback} there, not an {@code {"error":…}} object.
	 *
	 * <p>
	 * We call it, and the frame {@code {"method":K,"arguments":[value]}} reaches kite.js
	 * — but kite.js 1.0.13 {@code KiteServer} never runs the JS function:
	 * {@code onConnection} passes every message whose {@code method} is not one of its
	 * API names (so every numeric callback id) to {@code ws.kite.proto}, a second dnode
	 * instance that belongs to the connection's "remote kite" object, while the JS
	 * function was registered in the connection's API {@code proto}. The id is unknown
	 * there, dnode emits an unheard {@code fail}, and the call is dropped without a
	 * trace. This test pins that: the frame is on the wire, {@code received} stays empty,
	 * our function is not called again, and the connection keeps working. (Not a bug of
	 * our client: a kite.js client or a Go kite would run the function.)
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("variants")
	void kiteJsServerDropsOurCallsToFunctionsItPassedUs(Variant variant) throws Exception {
		try (KiteConnection client = connect(variant)) {
			BlockingQueue<List<JsonNode>> calls = new LinkedBlockingQueue<>();
			KiteCallback fn = (JsonNode... args) -> calls.add(List.of(args));
			assertThat(client.call("callMeBack", String.class, fn).join()).isEqualTo("sent");
			List<JsonNode> first = calls.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(first).as(context(variant)).isNotNull().hasSize(1);
			RemoteCallback jsFn = DnodeTrees.callbackAt(first.get(0));
			assertThat(jsFn).as("a JS function at arguments[0]: " + first + "\n" + context(variant)).isNotNull();
			assertThat(jsFn.isOpen()).isTrue();

			String value = "hello-" + variant.serverMode() + "-" + variant.transport() + "-" + System.nanoTime();
			jsFn.call(value);
			String frame = "<- {\"method\":" + jsFn.id() + ",\"arguments\":[\"" + value + "\"]";
			Awaitility.await()
				.atMost(WAIT)
				.untilAsserted(
						() -> assertThat(server(variant).logTail()).as("our call reached kite.js").contains(frame));

			// What kite.js would do if it routed the call to the function: fn('js got ' +
			// value).
			assertThat(calls.poll(SHORT.toMillis(), TimeUnit.MILLISECONDS)).as(context(variant)).isNull();
			assertThat(client.callAndWait("received")).as(context(variant))
				.noneMatch((n) -> value.equals(n.asString()));
			assertThat(client.call("square", Integer.class, 7).join()).isEqualTo(49);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("variants")
	void neverAnsweredCallsTimeOutAndLeakNothing(Variant variant) {
		try (KiteConnection client = connect(variant)) {
			int baseline = client.callbackCount();
			for (int round = 0; round < 3; round++) {
				List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
				for (int i = 0; i < 5; i++) {
					calls.add(client.callWithTimeout(SHORT, "never"));
				}
				for (CompletableFuture<JsonNode> call : calls) {
					assertThatThrownBy(call::join).isInstanceOf(CompletionException.class)
						.cause()
						.isInstanceOfSatisfying(KiteException.class, (ex) -> {
							assertThat(ex.type()).isEqualTo("timeout");
							assertThat(ex.error().message()).isEqualTo("No response to \"never\" method in 500ms");
						});
				}
				assertThat(client.pendingCallCount()).isZero();
				assertThat(client.callbackCount()).isEqualTo(baseline);
			}
			assertThat(client.call("square", Integer.class, 5).join()).isEqualTo(25); // still
																						// usable
			assertThat(client.pendingCallCount()).isZero();
			assertThat(client.callbackCount()).isEqualTo(baseline);
		}
	}

	/**
	 * {@code done(new Error('boom'))}: kite.js sends
	 * {@code {"error":{"message":"boom"}}}, no type; our client reports type {@code ""}
	 * and message {@code boom}.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("variants")
	void handlerErrorArrivesWithoutType(Variant variant) {
		try (KiteConnection client = connect(variant)) {
			assertThatThrownBy(() -> client.callAndWait("fail")).as(context(variant))
				.isInstanceOfSatisfying(KiteException.class, (ex) -> {
					assertThat(ex.error().message()).isEqualTo("boom");
					assertThat(ex.type()).isEmpty();
					assertThat(ex.error().code()).isEmpty();
					assertThat(ex.error().id()).isEmpty();
				});
			assertThat(client.pendingCallCount()).isZero();
		}
	}

	/**
	 * kite.js sends nothing for an unknown method (PROTOCOL §8.7): only our timeout ends
	 * the call.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("variants")
	void unknownMethodIsNeverAnswered(Variant variant) {
		try (KiteConnection client = connect(variant)) {
			int baseline = client.callbackCount();
			assertThatThrownBy(() -> client.callAndWait(SHORT, "nope", 1)).as(context(variant))
				.isInstanceOfSatisfying(KiteException.class, (ex) -> {
					assertThat(ex.type()).isEqualTo("timeout");
					assertThat(ex.error().message()).isEqualTo("No response to \"nope\" method in 500ms");
				});
			assertThat(client.pendingCallCount()).isZero();
			assertThat(client.callbackCount()).isEqualTo(baseline);
			assertThat(client.call("square", Integer.class, 6).join()).isEqualTo(36);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("variants")
	void hundredConcurrentCalls(Variant variant) {
		try (KiteConnection client = connect(variant)) {
			List<CompletableFuture<Integer>> calls = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				calls.add(client.call("square", Integer.class, i));
			}
			for (int i = 0; i < 100; i++) {
				assertThat(calls.get(i).join()).as(context(variant)).isEqualTo(i * i);
			}
			assertThat(client.pendingCallCount()).isZero();
		}
	}

}
