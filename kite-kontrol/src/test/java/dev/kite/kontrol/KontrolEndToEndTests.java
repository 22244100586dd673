package dev.kite.kontrol;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.auth.KiteAuthoritiesConverter;
import dev.kite.auth.provider.TokenAuthenticationProvider;
import dev.kite.auth.trust.KontrolTrust;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.kontrol.store.memory.InMemoryKeyPairStore;
import dev.kite.kontrol.store.memory.InMemoryKiteStore;
import dev.kite.protocol.Auth;
import dev.kite.protocol.GetKitesArgs;
import dev.kite.protocol.GetKitesResult;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteWithToken;
import dev.kite.protocol.KontrolQuery;
import dev.kite.protocol.RegisterArgs;
import dev.kite.protocol.RegisterResult;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.builtin.BuiltinKiteMethods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kontrol served over a real socket: a kite registers with its kite key (its factory
 * serves {@code kite.heartbeat}, so Kontrol's pings flow), another finds it with
 * {@code getKites} and calls it with the token it got, and closing the registering
 * connection removes the registration at once.
 */
class KontrolEndToEndTests {

	private final ExecutorService executor = EmbeddedKiteServer.executor();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final AtomicInteger refreshes = new AtomicInteger();

	private final InMemoryKiteStore store = new InMemoryKiteStore() {

		@Override
		public boolean refresh(String kiteId, String url, java.time.Instant now) {
			KontrolEndToEndTests.this.refreshes.incrementAndGet();
			return super.refresh(kiteId, url, now);
		}

	};

	private EmbeddedKiteServer kontrolServer;

	private EmbeddedKiteServer mathServer;

	private Kontrol kontrol;

	private KiteClientFactory clients;

	@AfterEach
	void stop() throws Exception {
		if (this.clients != null) {
			this.clients.close();
		}
		if (this.kontrol != null) {
			this.kontrol.close();
		}
		if (this.mathServer != null) {
			this.mathServer.close();
		}
		if (this.kontrolServer != null) {
			this.kontrolServer.close();
		}
		this.scheduler.shutdown();
		this.executor.shutdownNow();
		this.executor.awaitTermination(10, TimeUnit.SECONDS);
	}

	@Test
	void registerDiscoverCallAndDeregister() throws Exception {
		this.scheduler.setPoolSize(2);
		this.scheduler.setThreadNamePrefix("kontrol-test-");
		this.scheduler.initialize();
		startKontrol();
		Kite math = new Kite("math", "alice", UUID.randomUUID().toString(), "production", "eu", "1.0.0", "worker-1");
		startMath(math);
		KiteMethodRegistry clientMethods = new KiteMethodRegistry();
		BuiltinKiteMethods.registerAll(clientMethods, this.scheduler);
		this.clients = KiteClientFactory.builder()
			.executor(this.executor)
			.taskScheduler(this.scheduler)
			.dispatcher(new KiteDispatcher(clientMethods, new KiteAuthenticationManager(List.of()), List.of(),
					List.of(), this.executor, true))
			.build();

		KiteConnection registering = this.clients.create(KiteClientOptions.builder(this.kontrolServer.url())
			.kite(math)
			.auth(new Auth(Auth.KITE_KEY, this.kontrol.issueKiteKey("alice")))
			.reconnect(false)
			.build());
		registering.connect().get(15, TimeUnit.SECONDS);
		RegisterResult registered = registering.method("register")
			.args(RegisterArgs.of(this.mathServer.url()))
			.retrieve(RegisterResult.class)
			.get(15, TimeUnit.SECONDS);
		assertThat(registered.url()).isEqualTo(this.mathServer.url());
		assertThat(registered.heartbeatInterval()).isZero();
		assertThat(this.store.findById(math.id())).isPresent();
		// kite.heartbeat was answered and the first ping refreshed the record
		await().atMost(Duration.ofSeconds(10)).until(() -> this.refreshes.get() > 0);
		assertThat(this.kontrol.isHeartbeatActive(math.id())).isTrue();

		Kite cli = new Kite("cli", "bob", UUID.randomUUID().toString(), "production", "eu", "1.0.0", "laptop");
		KiteConnection finder = this.clients.create(KiteClientOptions.builder(this.kontrolServer.url())
			.kite(cli)
			.auth(new Auth(Auth.KITE_KEY, this.kontrol.issueKiteKey("bob")))
			.reconnect(false)
			.build());
		finder.connect().get(15, TimeUnit.SECONDS);
		GetKitesResult found = finder.method("getKites")
			.args(GetKitesArgs.of(new KontrolQuery("alice", "production", "math", "", "", "", "")))
			.retrieve(GetKitesResult.class)
			.get(15, TimeUnit.SECONDS);
		assertThat(found.kites()).hasSize(1);
		KiteWithToken target = found.kites().get(0);
		assertThat(target.kite()).isEqualTo(math);
		assertThat(target.url()).isEqualTo(this.mathServer.url());

		KiteConnection caller = this.clients.create(KiteClientOptions.builder(target.url())
			.kite(cli)
			.auth(new Auth(Auth.TOKEN, target.token()))
			.reconnect(false)
			.build());
		caller.connect().get(15, TimeUnit.SECONDS);
		assertThat(caller.method("square").args(4).retrieve(Double.class).get(15, TimeUnit.SECONDS)).isEqualTo(16.0);
		assertThat(caller.method("whoami").retrieve(String.class).get(15, TimeUnit.SECONDS)).isEqualTo("bob");

		registering.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.store.findById(math.id()).isEmpty());
		GetKitesResult after = finder.method("getKites")
			.args(GetKitesArgs.of(new KontrolQuery("alice", "production", "math", "", "", "", "")))
			.retrieve(GetKitesResult.class)
			.get(15, TimeUnit.SECONDS);
		assertThat(after.kites()).isEmpty();
	}

	private void startKontrol() throws Exception {
		KontrolSettings settings = KontrolSettings.builder("kontrol", this.scheduler).build();
		this.kontrol = new Kontrol(settings, this.store, new InMemoryKeyPairStore(), KontrolFixture.SELF);
		this.kontrol.start();
		KiteDispatcher dispatcher = this.kontrol.newDispatcher(this.kontrol.newMethodRegistry(), this.executor);
		this.kontrolServer = new EmbeddedKiteServer(dispatcher, this.executor, this.scheduler);
	}

	/** The registering kite's own server: verifies tokens issued by that Kontrol. */
	private void startMath(Kite math) throws Exception {
		KiteMethodRegistry registry = new KiteMethodRegistry();
		registry.register(new KiteMethodDefinition("square", (invocation) -> {
			double n = invocation.argument(0).asDouble();
			return n * n;
		}, true, "test"));
		registry.register(
				new KiteMethodDefinition("whoami", (invocation) -> invocation.request().username(), true, "test"));
		KontrolTrust trust = KontrolTrust.of("kontrol", List.of(KontrolFixture.SELF.publicKey()));
		TokenAuthenticationProvider tokens = new TokenAuthenticationProvider(() -> math, () -> trust,
				KiteAuthoritiesConverter.byAuthType(), java.time.Clock.systemUTC(), 100);
		KiteDispatcher dispatcher = new KiteDispatcher(registry, new KiteAuthenticationManager(List.of(tokens)),
				List.of(), List.of(), this.executor, true);
		this.mathServer = new EmbeddedKiteServer(dispatcher, this.executor, this.scheduler);
	}

}
