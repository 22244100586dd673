package dev.kite.kontrol;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.auth.KiteAuthoritiesConverter;
import dev.kite.auth.jwt.GoJwt;
import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.auth.provider.TokenAuthenticationProvider;
import dev.kite.auth.trust.KontrolTrust;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.client.ReconnectPolicy;
import dev.kite.client.kontrol.KiteDescriptor;
import dev.kite.client.kontrol.KiteDiscovery;
import dev.kite.client.kontrol.KiteSelectionStrategy;
import dev.kite.client.kontrol.KontrolClient;
import dev.kite.kontrol.store.memory.InMemoryKeyPairStore;
import dev.kite.kontrol.store.memory.InMemoryKiteStore;
import dev.kite.protocol.Auth;
import dev.kite.protocol.GetKitesResult;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteEvent;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.KiteWithToken;
import dev.kite.protocol.KontrolQuery;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.builtin.BuiltinKiteMethods;
import dev.kite.test.ManualTaskScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link KiteDiscovery} against a real Kontrol on embedded Tomcat and two instances of a
 * kite that verify Kontrol's tokens: lookup, connecting by query with failover, token
 * renewal (timed, and on {@code token is expired}), and watching — through Kontrol's
 * watcher, and by polling a Kontrol that ignores {@code watchCallback}. Time for the
 * renewer and the polls is a {@link ManualTaskScheduler} the test moves.
 */
class KiteDiscoveryEndToEndTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final KontrolQuery MATHS = KontrolQuery.parse("/alice/production/math");

	private final ExecutorService executor = EmbeddedKiteServer.executor();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	/** Discovery's time: renewals and polls. */
	private final ManualTaskScheduler time = new ManualTaskScheduler(Instant.now());

	/** The math kites' clock for verifying tokens, which a test may move ahead. */
	private final SettableClock mathClock = new SettableClock();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final InMemoryKiteStore store = new InMemoryKiteStore();

	private Kontrol kontrol;

	private EmbeddedKiteServer kontrolServer;

	private KiteClientFactory clients;

	@BeforeEach
	void start() throws Exception {
		this.scheduler.setPoolSize(2);
		this.scheduler.setThreadNamePrefix("discovery-test-");
		this.scheduler.initialize();
		KiteMethodRegistry clientMethods = new KiteMethodRegistry();
		BuiltinKiteMethods.registerAll(clientMethods, this.scheduler);
		this.clients = KiteClientFactory.builder()
			.executor(this.executor)
			.taskScheduler(this.scheduler)
			.dispatcher(new KiteDispatcher(clientMethods, new KiteAuthenticationManager(List.of()), List.of(),
					List.of(), this.executor, true))
			.build();
	}

	@AfterEach
	void stop() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			try {
				this.closeables.get(i).close();
			}
			catch (Exception ex) {
				// closed by the test already (a stopped instance)
			}
		}
		this.clients.close();
		if (this.kontrol != null) {
			this.kontrol.close();
		}
		if (this.kontrolServer != null) {
			this.kontrolServer.close();
		}
		this.scheduler.shutdown();
		this.executor.shutdownNow();
		this.executor.awaitTermination(10, TimeUnit.SECONDS);
	}

	@Test
	void findReturnsEveryInstanceWithAToken() throws Exception {
		startKontrol();
		Kite a = math("worker-a");
		Kite b = math("worker-b");
		register(a, startMath(a));
		register(b, startMath(b));

		List<KiteDescriptor> found = discovery().find(MATHS).get(15, TimeUnit.SECONDS);

		assertThat(found).extracting(KiteDescriptor::kite).containsExactlyInAnyOrder(a, b);
		assertThat(found).allSatisfy(
				(descriptor) -> assertThat(GoJwt.parse(descriptor.token()).aud).isEqualTo("/alice/production/math"));
	}

	@Test
	void connectCallsAnInstanceWithKontrolsTokenAndFailsOverWhenItStops() throws Exception {
		startKontrol();
		Kite a = math("worker-a");
		Kite b = math("worker-b");
		EmbeddedKiteServer serverA = startMath(a);
		EmbeddedKiteServer serverB = startMath(b);
		register(a, serverA);
		register(b, serverB);
		// always the first candidate: the failover must come from excluding the failed
		// one
		KiteDiscovery discovery = discovery((candidates) -> candidates.stream()
			.filter((candidate) -> candidate.kite().equals(a))
			.findFirst()
			.orElse(candidates.get(0)));

		KiteConnection connection = discovery.connect(MATHS);
		this.closeables.add(connection);

		assertThat(connection.method("instance").retrieve(String.class).get(15, TimeUnit.SECONDS)).isEqualTo(a.id());
		assertThat(connection.method("whoami").retrieve(String.class).get(15, TimeUnit.SECONDS)).isEqualTo("bob");
		assertThat(connection.currentUrl()).isEqualTo(URI.create(serverA.url()));
		assertThat(connection.auth().type()).isEqualTo(Auth.TOKEN);

		serverA.close(); // still registered: Kontrol keeps answering with it

		await().atMost(WAIT)
			.until(() -> connection.isConnected() && connection.currentUrl().equals(URI.create(serverB.url())));
		assertThat(connection.method("instance").retrieve(String.class).get(15, TimeUnit.SECONDS)).isEqualTo(b.id());
	}

	@Test
	void aQueryWithoutMatchesFailsTheCallsWaitingForTheDial() throws Exception {
		startKontrol();
		KiteDiscovery discovery = new KiteDiscovery(kontrolClient(), this.clients,
				KiteClientOptions.builder("http://unused.example/kite").kite(cli()).build(),
				KiteSelectionStrategy.random(), this.time);

		KiteConnection connection = discovery.connect(KontrolQuery.parse("/alice/production/nothing"));
		this.closeables.add(connection);

		assertThatThrownBy(() -> connection.method("instance").retrieve(String.class).get(15, TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(KiteException.class, (ex) -> {
				assertThat(ex.type()).isEqualTo(KiteErrorTypes.DISCONNECT);
				assertThat(ex.getMessage()).contains("no kites found for /alice/production/nothing");
			});
	}

	@Test
	void theRenewerSwapsTheTokenBeforeItExpires() throws Exception {
		startKontrol();
		Kite a = math("worker-a");
		register(a, startMath(a));
		KiteConnection connection = discovery().connect(MATHS);
		this.closeables.add(connection);
		assertThat(connection.method("instance").retrieve(String.class).get(15, TimeUnit.SECONDS)).isEqualTo(a.id());
		String first = connection.auth().key();
		GoJwt token = GoJwt.parse(first);
		await().atMost(WAIT).until(() -> !this.time.pending().isEmpty()); // renewal
																			// scheduled
																			// on connect

		Instant due = Instant.ofEpochSecond(token.exp).minusSeconds(30);
		this.time.advance(Duration.between(this.time.now(), due).minusSeconds(1));
		assertThat(connection.auth().key()).as("not renewed before exp - 30 s").isEqualTo(first);
		this.time.advance(Duration.ofSeconds(1));

		await().atMost(WAIT).until(() -> !connection.auth().key().equals(first));
		assertThat(GoJwt.parse(connection.auth().key()).aud).as("an ID-only query's audience").isEqualTo("/");
		assertThat(connection.method("instance").retrieve(String.class).get(15, TimeUnit.SECONDS)).isEqualTo(a.id());
	}

	@Test
	void aCallRejectedWithTokenIsExpiredRenewsAtOnce() throws Exception {
		startKontrol();
		Kite a = math("worker-a");
		register(a, startMath(a));
		KiteConnection connection = discovery().connect(MATHS);
		this.closeables.add(connection);
		assertThat(connection.method("instance").retrieve(String.class).get(15, TimeUnit.SECONDS)).isEqualTo(a.id());
		String first = connection.auth().key();

		this.mathClock.offset = Duration.ofHours(2); // the math kite now sees the token
														// as
														// expired
		assertThatThrownBy(() -> connection.method("instance").retrieve(String.class).get(15, TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.getMessage()).contains("token is expired"));

		await().atMost(WAIT).until(() -> !connection.auth().key().equals(first)); // no
																					// time
																					// moved
		assertThat(GoJwt.parse(connection.auth().key()).aud).isEqualTo("/");
		this.mathClock.offset = Duration.ZERO;
		assertThat(connection.method("instance").retrieve(String.class).get(15, TimeUnit.SECONDS)).isEqualTo(a.id());
	}

	@Test
	void watchReportsRegistrationsAndDeregistrationsThroughKontrolsWatcher() throws Exception {
		startKontrol();
		Kite a = math("worker-a");
		Kite b = math("worker-b");
		register(a, startMath(a));
		EmbeddedKiteServer serverB = startMath(b);
		List<KiteEvent> events = new CopyOnWriteArrayList<>();
		KiteDiscovery.Watch watch = discovery().watch(MATHS, events::add);
		this.closeables.add(watch);

		await().atMost(WAIT).until(() -> events.size() == 1);
		assertThat(events.get(0).action()).isEqualTo(KiteEvent.REGISTER);
		assertThat(events.get(0).kite()).isEqualTo(a);
		assertThat(watch.watcherId()).isNotNull();
		assertThat(watch.isPolling()).isFalse();

		KontrolClient registrationB = register(b, serverB);
		await().atMost(WAIT).until(() -> events.size() == 2);
		assertThat(events.get(1).action()).isEqualTo(KiteEvent.REGISTER);
		assertThat(events.get(1).kite()).isEqualTo(b);
		assertThat(events.get(1).url()).isEqualTo(serverB.url());
		assertThat(events.get(1).token()).isNotEmpty();

		registrationB.close(); // Kontrol deregisters on disconnect
		await().atMost(WAIT).until(() -> events.size() == 3);
		assertThat(events.get(2).action()).isEqualTo(KiteEvent.DEREGISTER);
		assertThat(events.get(2).kite()).isEqualTo(b);
		assertThat(this.time.pending()).as("no polling with a watching Kontrol").isEmpty();

		watch.close();
		await().atMost(WAIT).until(() -> this.kontrol.watcherCount() == 0);
	}

	@Test
	void watchSubscribesAgainAfterAKontrolReconnectAndReportsWhatChangedMeanwhile() throws Exception {
		startKontrol();
		Kite a = math("worker-a");
		Kite b = math("worker-b");
		KontrolClient registrationA = register(a, startMath(a));
		EmbeddedKiteServer serverB = startMath(b);
		DroppingTcpProxy network = new DroppingTcpProxy(URI.create(this.kontrolServer.url()).getPort(), this.executor);
		this.closeables.add(network);
		KontrolClient kontrol = KontrolClient.create(this.clients,
				KontrolClient.options(URI.create("http://127.0.0.1:" + network.port() + "/kite"), cli())
					.reconnect(new ReconnectPolicy(true, Duration.ofMillis(50), 1.5, 0, Duration.ofMillis(500)))
					.build(),
				new LocalKiteKey(KiteKey.parse(this.kontrol.issueKiteKey("bob"))), null);
		this.closeables.add(kontrol);
		List<KiteEvent> events = new CopyOnWriteArrayList<>();
		KiteDiscovery.Watch watch = new KiteDiscovery(kontrol, this.clients, baseOptions(),
				KiteSelectionStrategy.random(), this.time)
			.watch(MATHS, events::add);
		this.closeables.add(watch);
		await().atMost(WAIT).until(() -> events.size() == 1 && watch.watcherId() != null);
		String firstWatcher = watch.watcherId();
		assertThat(this.kontrol.watcherCount()).isEqualTo(1);

		network.cut();
		await().atMost(WAIT).until(() -> this.kontrol.watcherCount() == 0); // died with
																			// the
																			// connection
		registrationA.close(); // gone while the watch is not subscribed: no event
		await().atMost(WAIT).until(() -> this.store.findById(a.id()).isEmpty());
		register(b, serverB);
		assertThat(events).as("nothing while the watch is not subscribed").hasSize(1);
		network.restore();

		await().atMost(WAIT).until(() -> events.size() == 3);
		assertThat(events.subList(1, 3)).extracting(KiteEvent::action, (event) -> event.kite().id())
			.containsExactly(org.assertj.core.groups.Tuple.tuple(KiteEvent.DEREGISTER, a.id()),
					org.assertj.core.groups.Tuple.tuple(KiteEvent.REGISTER, b.id()));
		await().atMost(WAIT).until(() -> watch.watcherId() != null && !watch.watcherId().equals(firstWatcher));
		assertThat(this.kontrol.watcherCount()).isEqualTo(1);
	}

	@Test
	void watchPollsAKontrolThatIgnoresWatchCallback() throws Exception {
		Kite a = math("worker-a");
		Kite b = math("worker-b");
		List<KiteWithToken> registered = new CopyOnWriteArrayList<>(
				List.of(new KiteWithToken(a, "http://a.example/kite", "", "token-a")));
		KiteMethodRegistry registry = new KiteMethodRegistry();
		registry.register(new KiteMethodDefinition("getKites",
				(invocation) -> new GetKitesResult(List.copyOf(registered)), false, "test"));
		EmbeddedKiteServer goLikeKontrol = new EmbeddedKiteServer(new KiteDispatcher(registry,
				new KiteAuthenticationManager(List.of()), List.of(), List.of(), this.executor, true), this.executor,
				this.scheduler);
		this.closeables.add(goLikeKontrol);
		KontrolClient kontrol = KontrolClient.create(this.clients,
				KontrolClient.options(URI.create(goLikeKontrol.url()), cli()).build(),
				new LocalKiteKey(KiteKey.parse(unsignedKiteKey())), null);
		this.closeables.add(kontrol);
		KiteDiscovery discovery = new KiteDiscovery(kontrol, this.clients, baseOptions(),
				KiteSelectionStrategy.random(), this.time, Duration.ofSeconds(5), Duration.ofSeconds(30));
		List<KiteEvent> events = new CopyOnWriteArrayList<>();

		KiteDiscovery.Watch watch = discovery.watch(MATHS, events::add);
		this.closeables.add(watch);
		await().atMost(WAIT).until(() -> events.size() == 1);
		assertThat(watch.isPolling()).isTrue();
		assertThat(events.get(0)).isEqualTo(new KiteEvent(KiteEvent.REGISTER, a, "http://a.example/kite", "token-a"));

		registered.add(new KiteWithToken(b, "http://b.example/kite", "", "token-b"));
		this.time.advance(Duration.ofSeconds(4));
		assertThat(events).as("no poll before the interval").hasSize(1);
		this.time.advance(Duration.ofSeconds(1));
		await().atMost(WAIT).until(() -> events.size() == 2);
		assertThat(events.get(1)).isEqualTo(new KiteEvent(KiteEvent.REGISTER, b, "http://b.example/kite", "token-b"));

		registered.remove(0);
		await().atMost(WAIT).until(() -> !this.time.pending().isEmpty()); // the next poll
		this.time.advance(Duration.ofSeconds(5));
		await().atMost(WAIT).until(() -> events.size() == 3);
		assertThat(events.get(2).action()).isEqualTo(KiteEvent.DEREGISTER);
		assertThat(events.get(2).kite()).isEqualTo(a);

		watch.close();
		assertThat(this.time.pending()).as("closing stops polling").isEmpty();
	}

	// ---------------------------------------------------------------- fixtures

	private KiteDiscovery discovery() throws Exception {
		return discovery(KiteSelectionStrategy.random());
	}

	private KiteDiscovery discovery(KiteSelectionStrategy selection) throws Exception {
		return new KiteDiscovery(kontrolClient(), this.clients, baseOptions(), selection, this.time);
	}

	private KiteClientOptions baseOptions() {
		return KiteClientOptions.builder("http://unused.example/kite")
			.kite(cli())
			.reconnect(new ReconnectPolicy(true, Duration.ofMillis(50), 1.5, 0, Duration.ofMillis(500)))
			.build();
	}

	private KontrolClient kontrolClient() throws Exception {
		KontrolClient client = KontrolClient.create(this.clients,
				KontrolClient.options(URI.create(this.kontrolServer.url()), cli()).build(),
				new LocalKiteKey(KiteKey.parse(this.kontrol.issueKiteKey("bob"))), null);
		this.closeables.add(client);
		return client;
	}

	private static Kite cli() {
		return new Kite("cli", "bob", "0f3b9c1e-8d2a-4e0b-9a1c-1c2d3e4f5a6b", "production", "eu", "1.0.0", "laptop");
	}

	private static Kite math(String host) {
		return new Kite("math", "alice", UUID.randomUUID().toString(), "production", "eu", "1.0.0", host);
	}

	/** A kite key Kontrol never signed: a Kontrol that does not check keys accepts it. */
	private static String unsignedKiteKey() {
		java.util.Base64.Encoder base64 = java.util.Base64.getUrlEncoder().withoutPadding();
		String header = base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes());
		String claims = base64.encodeToString(("{\"iss\":\"kontrol\",\"sub\":\"bob\",\"jti\":\"" + UUID.randomUUID()
				+ "\",\"kontrolKey\":\"key\",\"kontrolURL\":\"http://kontrol.example/kite\"}")
			.getBytes());
		return header + "." + claims + ".c2ln";
	}

	private void startKontrol() throws Exception {
		KontrolSettings settings = KontrolSettings.builder("kontrol", this.scheduler)
			.tokenTtl(Duration.ofMinutes(30))
			.build();
		this.kontrol = new Kontrol(settings, this.store, new InMemoryKeyPairStore(), KontrolFixture.SELF);
		this.kontrol.start();
		KiteDispatcher dispatcher = this.kontrol.newDispatcher(this.kontrol.newMethodRegistry(), this.executor);
		this.kontrolServer = new EmbeddedKiteServer(dispatcher, this.executor, this.scheduler);
	}

	/**
	 * An instance of the math kite: verifies tokens Kontrol issued, with its own clock.
	 */
	private EmbeddedKiteServer startMath(Kite math) throws Exception {
		KiteMethodRegistry registry = new KiteMethodRegistry();
		registry.register(new KiteMethodDefinition("instance", (invocation) -> math.id(), true, "test"));
		registry.register(
				new KiteMethodDefinition("whoami", (invocation) -> invocation.request().username(), true, "test"));
		KontrolTrust trust = KontrolTrust.of("kontrol", List.of(KontrolFixture.SELF.publicKey()));
		TokenAuthenticationProvider tokens = new TokenAuthenticationProvider(() -> math, () -> trust,
				KiteAuthoritiesConverter.byAuthType(), this.mathClock, 100);
		KiteDispatcher dispatcher = new KiteDispatcher(registry, new KiteAuthenticationManager(List.of(tokens)),
				List.of(), List.of(), this.executor, true);
		EmbeddedKiteServer server = new EmbeddedKiteServer(dispatcher, this.executor, this.scheduler);
		this.closeables.add(server);
		return server;
	}

	/**
	 * Registers an instance with Kontrol over dnode; closing the client deregisters it.
	 */
	private KontrolClient register(Kite math, EmbeddedKiteServer server) throws Exception {
		KontrolClient client = KontrolClient.create(this.clients,
				KontrolClient.options(URI.create(this.kontrolServer.url()), math).build(),
				new LocalKiteKey(KiteKey.parse(this.kontrol.issueKiteKey("alice"))), null);
		this.closeables.add(client);
		client.connect().get(15, TimeUnit.SECONDS);
		client.register(URI.create(server.url())).get(15, TimeUnit.SECONDS);
		return client;
	}

	/** The system clock, shifted by an offset the test sets. */
	private static final class SettableClock extends Clock {

		volatile Duration offset = Duration.ZERO;

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return Instant.now().plus(this.offset);
		}

	}

}
