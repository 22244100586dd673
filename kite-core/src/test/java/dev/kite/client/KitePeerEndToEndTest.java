package dev.kite.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.kite.annotation.KiteMethod;
import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.dnode.DnodeModule;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KitePeer;
import dev.kite.rpc.KitePeers;
import dev.kite.server.method.AnnotatedKiteMethodDetector;
import dev.kite.server.method.KitePeerArgumentResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code @KiteMethod} calls the methods its caller exposes, through an injected
 * {@link KitePeer}, over a real connection: our server (embedded Tomcat + SockJS) and our
 * client serving {@code notify} with a dispatcher on the connection it dialed.
 */
class KitePeerEndToEndTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Kite SERVER = new Kite("math", "kontrol", "server-id", "development", "local", "1.0.0",
			"host");

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final GenericApplicationContext context = new GenericApplicationContext();

	private final List<String> notified = new CopyOnWriteArrayList<>();

	private TestKiteServer server;

	private KiteClientFactory factory;

	private Pusher pusher;

	@BeforeEach
	void start() throws Exception {
		this.scheduler.initialize();
		KiteMethodRegistry methods = TestKiteServer.registry();
		this.context.registerBean("pusher", Pusher.class);
		this.context.refresh();
		this.pusher = this.context.getBean(Pusher.class);
		KitePeers peers = new KitePeers(() -> SERVER, this.scheduler, this.executor, Duration.ofSeconds(5));
		new AnnotatedKiteMethodDetector(this.context, methods, List.of(new KitePeerArgumentResolver(peers)),
				JsonMapper.builder().addModule(new DnodeModule()).build())
			.afterSingletonsInstantiated();
		this.server = TestKiteServer.start(methods);

		KiteMethodRegistry clientMethods = new KiteMethodRegistry();
		clientMethods.register(new KiteMethodDefinition("notify", (invocation) -> {
			String message = invocation.argument(0).asString();
			this.notified.add(message);
			return "seen " + message;
		}, false, "test"));
		this.factory = KiteClientFactory.builder()
			.executor(this.executor)
			.dispatcher(new KiteDispatcher(clientMethods, new KiteAuthenticationManager(List.of()), List.of(),
					List.of(), this.executor, true))
			.build();
	}

	@AfterEach
	void stop() throws Exception {
		this.factory.close();
		this.server.close();
		this.context.close();
		this.scheduler.shutdown();
		this.executor.shutdownNow();
	}

	private KiteConnection connect(Transport transport) {
		KiteConnection client = this.factory
			.create(KiteClientOptions.builder(this.server.url()).transport(transport).build());
		client.connect().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
		return client;
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "XHR_POLLING" })
	void theServerCallsTheCallersMethodsAndReadsTheirAnswers(Transport transport) {
		KiteConnection client = connect(transport);

		assertThat(client.call("pushes", Integer.class, 3).join()).isEqualTo(3);

		List<String> answers = this.pusher.answers.stream()
			.map((answer) -> answer.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().asString())
			.toList();
		assertThat(answers).containsExactly("seen push 1", "seen push 2", "seen push 3");
		// the three calls are sent at once, and the client serves calls concurrently
		assertThat(this.notified).containsExactlyInAnyOrder("push 1", "push 2", "push 3");
		// the peer is the caller, as its first request named it
		assertThat(this.pusher.peers).singleElement()
			.satisfies((peer) -> assertThat(peer.kite().id()).isEqualTo(client.options().kite().id()));
		client.close();
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET" })
	void aMethodTheCallerLacksFailsWithItsError(Transport transport) {
		KiteConnection client = connect(transport);

		assertThat(client.call("askMissing", String.class).join()).isEqualTo("methodNotFound");
		client.close();
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET" })
	void aPeerKeptAfterItsConnectionClosedFailsAtOnce(Transport transport) {
		KiteConnection client = connect(transport);
		client.call("pushes", Integer.class, 1).join();
		KitePeer peer = this.pusher.peers.get(0);

		client.close();
		await().atMost(WAIT).until(() -> !peer.isOpen());

		CompletableFuture<JsonNode> late = peer.call("notify", "too late");
		Throwable failure = late.handle((result, ex) -> ex).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
		assertThat(failure).isInstanceOf(KiteException.class);
		assertThat(((KiteException) failure).type()).isEqualTo(KiteErrorTypes.DISCONNECT);
	}

	/** The server's kite methods: push to the caller, ask it for a method it lacks. */
	public static class Pusher {

		final List<CompletableFuture<JsonNode>> answers = new CopyOnWriteArrayList<>();

		final List<KitePeer> peers = new CopyOnWriteArrayList<>();

		/**
		 * Answers at once, then calls the caller's {@code notify} {@code count} times.
		 * @param count how many times
		 * @param peer the caller
		 * @return the count
		 */
		@KiteMethod(value = "pushes", authenticated = false)
		public int pushes(int count, KitePeer peer) {
			this.peers.add(peer);
			for (int i = 1; i <= count; i++) {
				this.answers.add(peer.call("notify", "push " + i));
			}
			return count;
		}

		/**
		 * Calls a method the caller does not serve.
		 * @param peer the caller
		 * @return the error type the caller answered with
		 */
		@KiteMethod(value = "askMissing", authenticated = false)
		public CompletableFuture<String> askMissing(KitePeer peer) {
			return peer.call("missing").handle((result, ex) -> ((KiteException) ex).type());
		}

	}

}
