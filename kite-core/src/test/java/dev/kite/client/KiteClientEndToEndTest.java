package dev.kite.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.dnode.DnodeTrees;
import dev.kite.dnode.KiteCallback;
import dev.kite.dnode.RemoteCallback;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.ParameterizedTypeReference;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The client against our own server (embedded Tomcat + Spring SockJS), over every
 * transport.
 */
class KiteClientEndToEndTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static TestKiteServer server;

	private static final java.util.concurrent.ExecutorService clientExecutor = java.util.concurrent.Executors
		.newCachedThreadPool();

	private static KiteClientFactory factory;

	private final List<AutoCloseable> toClose = new ArrayList<>();

	@BeforeAll
	static void startServer() throws Exception {
		KiteMethodRegistry methods = TestKiteServer.registry();
		TestKiteServer.method(methods, "square", (inv) -> {
			int n = inv.argument(0).asInt();
			return n * n;
		});
		TestKiteServer.method(methods, "argumentCount", (inv) -> inv.arguments().size());
		TestKiteServer.method(methods, "length", (inv) -> inv.argument(0).asString().length());
		TestKiteServer.method(methods, "caller", (inv) -> inv.request().caller());
		TestKiteServer.method(methods, "fail", (inv) -> {
			throw new KiteException("customError", "boom", "42");
		});
		TestKiteServer.method(methods, "never", (inv) -> new CompletableFuture<>());
		// [{"times":n,"each":fn}]: calls fn(1)…fn(n) before answering
		TestKiteServer.method(methods, "countTo", (inv) -> {
			JsonNode options = inv.argument(0);
			RemoteCallback each = DnodeTrees.callbackAt(options.get("each"));
			int times = options.get("times").asInt();
			for (int i = 1; i <= times; i++) {
				each.call(i);
			}
			return times;
		});
		// answers with a function the caller can call: {"add": fn(a, b, reply)}
		TestKiteServer.method(methods, "adder", (inv) -> Map.of("add", (KiteCallback) (args) -> {
			RemoteCallback reply = DnodeTrees.callbackAt(args[2]);
			reply.call(args[0].asInt() + args[1].asInt());
		}));
		// calls the method "client.greet" on the caller over the same connection and
		// answers with its result
		TestKiteServer.method(methods, "askBack", (inv) -> {
			CompletableFuture<Object> answer = new CompletableFuture<>();
			inv.session()
				.connection()
				.send("client.greet", Map.of("kite", new Kite("server", "", "s1", "", "", "1.0.0", "h"), "withArgs",
						List.of(inv.argument(0).asString()), "responseCallback", (KiteCallback) (args) -> {
							JsonNode response = args[0];
							if (!response.get("error").isNull()) {
								answer.completeExceptionally(
										new KiteException(response.get("error").get("type").asString(),
												response.get("error").get("message").asString()));
							}
							else {
								answer.complete(response.get("result").asString());
							}
						}));
			return answer;
		});
		server = TestKiteServer.start(methods);

		KiteMethodRegistry clientMethods = new KiteMethodRegistry();
		clientMethods.register(
				new KiteMethodDefinition("client.greet", (inv) -> "hello " + inv.argument(0).asString(), true, "test"));
		factory = KiteClientFactory.builder()
			.executor(clientExecutor)
			.dispatcher(new KiteDispatcher(clientMethods, new KiteAuthenticationManager(List.of()), List.of(),
					List.of(), clientExecutor, true))
			.build();
	}

	@AfterAll
	static void stopServer() throws Exception {
		factory.close();
		server.close();
		clientExecutor.shutdownNow();
	}

	@AfterEach
	void closeAll() throws Exception {
		Collections.reverse(this.toClose);
		for (AutoCloseable closeable : this.toClose) {
			closeable.close();
		}
	}

	static Stream<Arguments> transports() {
		return Stream.of(Arguments.of(Transport.WEBSOCKET, "sockjs"), Arguments.of(Transport.XHR_POLLING, "sockjs"),
				Arguments.of(Transport.RAW_WEBSOCKET, "http"), Arguments.of(Transport.AUTO, "ws-url"));
	}

	private KiteConnection connect(Transport transport, String form) {
		String url = "ws-url".equals(form) ? "ws://127.0.0.1:" + server.port() + "/kite/websocket" : server.url();
		return connect(KiteClientOptions.builder(url).transport(transport));
	}

	private KiteConnection connect(KiteClientOptions.Builder options) {
		KiteConnection client = factory.create(options.build());
		this.toClose.add(client);
		client.connect().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
		return client;
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("transports")
	void callsAndTypedResults(Transport transport, String form) {
		KiteConnection client = connect(transport, form);

		assertThat(client.call("square", 4).join().asInt()).isEqualTo(16);
		assertThat(client.call("square", Integer.class, 5).join()).isEqualTo(25);
		assertThat(client.callAndWait("square", Integer.class, 6)).isEqualTo(36);
		assertThat(client.callAndWait(Duration.ofSeconds(5), "square", 7).asInt()).isEqualTo(49);
		assertThat(client.callAndWait(Duration.ofSeconds(5), "square", Integer.class, 8)).isEqualTo(64);
		assertThat(client.call("argumentCount").join().asInt()).isZero();
		Kite me = client.options().kite();
		assertThat(client.call("caller", Kite.class).join()).isEqualTo(me);
		assertThat(client.call("countTo", new ParameterizedTypeReference<Integer>() {
		}, Map.of("times", 0, "each", (KiteCallback) (args) -> {
		})).join()).isZero();
		assertThat(client.pendingCallCount()).isZero();
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("transports")
	void remoteErrorsCarryTypeMessageCodeAndId(Transport transport, String form) {
		KiteConnection client = connect(transport, form);

		assertThatThrownBy(() -> client.callAndWait("fail")).isInstanceOfSatisfying(KiteException.class, (ex) -> {
			assertThat(ex.type()).isEqualTo("customError");
			assertThat(ex.error().message()).isEqualTo("boom");
			assertThat(ex.error().code()).isEqualTo("42");
			assertThat(ex.error().id()).hasSize(16);
		});
		assertThatThrownBy(() -> client.callAndWait("noSuchMethod")).isInstanceOfSatisfying(KiteException.class,
				(ex) -> {
					assertThat(ex.type()).isEqualTo(KiteErrorTypes.METHOD_NOT_FOUND);
					assertThat(ex.error().message()).isEqualTo("Method not found: noSuchMethod");
				});
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("transports")
	void callbacksInBothDirections(Transport transport, String form) {
		KiteConnection client = connect(transport, form);
		List<Integer> seen = Collections.synchronizedList(new ArrayList<>());

		// our function, nested in a map, called by the server five times, in order,
		// before it answers
		Integer count = client
			.call("countTo", Integer.class,
					Map.of("times", 5, "each", (KiteCallback) (args) -> seen.add(args[0].asInt())))
			.join();
		assertThat(count).isEqualTo(5);
		await().atMost(WAIT).until(() -> seen.size() == 5);
		assertThat(seen).containsExactly(1, 2, 3, 4, 5);

		// the server's function, returned in a result, called by us with our own function
		// for the reply
		JsonNode adder = client.call("adder").join();
		RemoteCallback add = DnodeTrees.callbackAt(adder.get("add"));
		assertThat(add).isNotNull();
		CompletableFuture<Integer> sum = new CompletableFuture<>();
		add.call(2, 3, (KiteCallback) (args) -> sum.complete(args[0].asInt()));
		assertThat(sum.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(5);
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("transports")
	void servesThePeersCallsOnTheDialedConnection(Transport transport, String form) {
		KiteConnection client = connect(transport, form);

		assertThat(client.call("askBack", String.class, "kite").join()).isEqualTo("hello kite");
	}

	@Test
	void autoFallsBackToXhrWhenTheServerHasNoWebSocket() throws Exception {
		TestKiteServer noWebSocket = TestKiteServer.startWithoutWebSocket(server.registry);
		this.toClose.add(noWebSocket);
		KiteConnection client = connect(KiteClientOptions.builder(noWebSocket.url()).transport(Transport.AUTO));

		assertThat(client.call("square", Integer.class, 12).join()).isEqualTo(144);
	}

	@Test
	void timeoutFailsTheCallAndForgetsItsCallback() {
		KiteConnection client = connect(Transport.WEBSOCKET, "sockjs");
		int baseline = client.callbackCount();

		for (int i = 0; i < 20; i++) {
			CompletableFuture<JsonNode> call = client.callWithTimeout(Duration.ofMillis(100), "never");
			assertThatThrownBy(call::join).hasCauseInstanceOf(KiteException.class).cause().satisfies((ex) -> {
				assertThat(((KiteException) ex).type()).isEqualTo(KiteErrorTypes.TIMEOUT);
				assertThat(((KiteException) ex).error().message())
					.isEqualTo("No response to \"never\" method in 100ms");
			});
		}
		assertThat(client.callbackCount()).isEqualTo(baseline);
		assertThat(client.pendingCallCount()).isZero();
		// the connection still works
		assertThat(client.call("square", Integer.class, 3).join()).isEqualTo(9);
		assertThat(client.callbackCount()).isEqualTo(baseline);
	}

	/**
	 * Tomcat's client split a message of more than 8 KiB into frames written with Nagle
	 * on, and each such call waited for the server's delayed ACK: about 45 ms on
	 * loopback. 100 calls then take 4 s or more; without the stall well under a second
	 * even on two busy cores.
	 */
	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("webSocketTransports")
	void messagesLargerThanAFrameDoNotWaitForDelayedAcks(Transport transport, String form) {
		KiteConnection client = connect(transport, form);
		String large = "x".repeat(20_000);
		assertThat(client.callAndWait("length", Integer.class, large)).isEqualTo(large.length()); // warm
		long start = System.nanoTime();
		for (int i = 0; i < 100; i++) {
			assertThat(client.callAndWait("length", Integer.class, large)).isEqualTo(large.length());
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
	}

	static Stream<Arguments> webSocketTransports() {
		return Stream.of(Arguments.of(Transport.WEBSOCKET, "sockjs"), Arguments.of(Transport.RAW_WEBSOCKET, "http"));
	}

	@Test
	void answeredCallsForgetTheirResponseCallback() {
		KiteConnection client = connect(Transport.WEBSOCKET, "sockjs");
		int baseline = client.callbackCount();
		List<CompletableFuture<Integer>> calls = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			calls.add(client.call("square", Integer.class, i));
		}
		for (int i = 0; i < 200; i++) {
			assertThat(calls.get(i).join()).isEqualTo(i * i);
		}
		assertThat(client.callbackCount()).isEqualTo(baseline);
	}

	@Test
	void closedOrUnconnectedClientsRefuseCallsAtOnce() {
		KiteConnection notConnected = factory.create(server.url());
		this.toClose.add(notConnected);
		assertThatThrownBy(() -> notConnected.callAndWait("square", 2)).isInstanceOfSatisfying(KiteException.class,
				(ex) -> assertThat(ex.error()).satisfies((error) -> {
					assertThat(error.type()).isEqualTo(KiteErrorTypes.SEND_ERROR);
					assertThat(error.message()).isEqualTo("can't send, session is not established yet");
				}));

		KiteConnection client = connect(Transport.WEBSOCKET, "sockjs");
		client.close();
		assertThat(client.isConnected()).isFalse();
		assertThatThrownBy(() -> client.callAndWait("square", 2)).isInstanceOfSatisfying(KiteException.class,
				(ex) -> assertThat(ex.error().message()).isEqualTo("can't send, client is closed"));
		assertThatThrownBy(() -> client.connect().join()).hasCauseInstanceOf(KiteException.class);
	}

	@Test
	void dialingNothingFailsWithoutReconnect() {
		KiteConnection client = factory
			.create(KiteClientOptions.builder("http://127.0.0.1:1/kite").transport(Transport.WEBSOCKET).build());
		this.toClose.add(client);
		assertThatThrownBy(() -> client.connect().orTimeout(20, TimeUnit.SECONDS).join())
			.hasCauseInstanceOf(KiteConnectException.class);
	}

	@ParameterizedTest
	@org.junit.jupiter.params.provider.EnumSource(value = Transport.class, names = { "WEBSOCKET", "RAW_WEBSOCKET" })
	void aServerThatNeverAnswersTheHandshakeFailsTheDialAfterTheConnectTimeout(Transport transport) throws Exception {
		try (java.net.ServerSocket blackHole = new java.net.ServerSocket(0)) { // accepts
																				// TCP,
																				// never
																				// answers
			KiteConnection client = factory
				.create(KiteClientOptions.builder("http://127.0.0.1:" + blackHole.getLocalPort() + "/kite")
					.transport(transport)
					.connectTimeout(Duration.ofMillis(300))
					.build());
			this.toClose.add(client);
			long start = System.nanoTime();
			assertThatThrownBy(() -> client.connect().get(10, TimeUnit.SECONDS)).cause()
				.isInstanceOfSatisfying(KiteConnectException.class,
						(ex) -> assertThat(ex.getCause()).isInstanceOf(java.util.concurrent.TimeoutException.class));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		}
	}

	@Test
	void stoppingTheServerFailsEveryPendingCallWithDisconnect() throws Exception {
		TestKiteServer own = TestKiteServer.start(server.registry);
		this.toClose.add(own);
		KiteConnection client = connect(KiteClientOptions.builder(own.url()).transport(Transport.WEBSOCKET));
		AtomicInteger disconnects = new AtomicInteger();
		client.onDisconnect(disconnects::incrementAndGet);
		List<CompletableFuture<JsonNode>> pending = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			pending.add(client.call("never"));
		}
		await().atMost(WAIT).until(() -> client.pendingCallCount() == 5);

		own.close();

		for (CompletableFuture<JsonNode> call : pending) {
			assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause()
				.isInstanceOfSatisfying(KiteException.class, (ex) -> {
					assertThat(ex.type()).isEqualTo(KiteErrorTypes.DISCONNECT);
					assertThat(ex.error().message()).isEqualTo("Remote kite has disconnected");
				});
		}
		await().atMost(WAIT).until(() -> disconnects.get() == 1);
		assertThat(client.isConnected()).isFalse();
	}

	@Test
	void reconnectsAfterTheServerComesBack() throws Exception {
		TestKiteServer first = TestKiteServer.start(server.registry);
		int port = first.port();
		AtomicInteger connects = new AtomicInteger();
		KiteConnection client = factory.create(KiteClientOptions.builder(first.url())
			.transport(Transport.WEBSOCKET)
			.reconnect(new ReconnectPolicy(true, Duration.ofMillis(50), 1.5, 0.5, Duration.ofMillis(500)))
			.build());
		this.toClose.add(client);
		client.onConnect(connects::incrementAndGet);
		client.connect().orTimeout(10, TimeUnit.SECONDS).join();
		assertThat(client.call("square", Integer.class, 7).join()).isEqualTo(49);
		CompletableFuture<JsonNode> pending = client.call("never");

		first.close();
		assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(KiteException.class, (ex) -> assertThat(ex.type()).isEqualTo("disconnect"));
		await().atMost(WAIT).until(() -> !client.isConnected());

		TestKiteServer second = TestKiteServer.start(server.registry, port);
		this.toClose.add(second);
		await().atMost(WAIT).until(client::isConnected);
		assertThat(client.call("square", Integer.class, 8).join()).isEqualTo(64);
		await().atMost(WAIT).until(() -> connects.get() == 2);
	}

	@Test
	void reconnectKeepsDialingUntilTheServerStarts() throws Exception {
		int port;
		try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
			port = probe.getLocalPort();
		}
		KiteConnection client = factory.create(KiteClientOptions.builder("http://127.0.0.1:" + port + "/kite")
			.transport(Transport.RAW_WEBSOCKET)
			.reconnect(new ReconnectPolicy(true, Duration.ofMillis(50), 1.5, 0.5, Duration.ofMillis(300)))
			.build());
		this.toClose.add(client);
		CompletableFuture<KiteConnection> connected = client.connect();
		assertThat(connected).isNotDone();

		TestKiteServer late = TestKiteServer.start(server.registry, port);
		this.toClose.add(late);
		assertThat(connected.get(10, TimeUnit.SECONDS)).isSameAs(client);
		assertThat(client.call("square", Integer.class, 9).join()).isEqualTo(81);
	}

}
