package dev.kite.kontrol;

import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import dev.kite.client.KiteClientFactory;
import dev.kite.client.kontrol.KontrolClient;
import dev.kite.kontrol.store.memory.InMemoryKeyPairStore;
import dev.kite.kontrol.store.memory.InMemoryKiteStore;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.KiteWithToken;
import dev.kite.protocol.KontrolQuery;
import dev.kite.protocol.RegisterResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link KontrolClient} against a real Java Kontrol on a socket: register, look up, get a
 * token and the key; Kontrol's errors surface as {@link KiteException}s with its message.
 */
class KontrolClientTests {

	private final ExecutorService executor = EmbeddedKiteServer.executor();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final InMemoryKiteStore store = new InMemoryKiteStore();

	private ServedKontrol kontrol;

	private KiteClientFactory clients;

	@BeforeEach
	void start() throws Exception {
		this.scheduler.setPoolSize(2);
		this.scheduler.initialize();
		this.kontrol = new ServedKontrol(this.store, new InMemoryKeyPairStore(), this.executor, this.scheduler, 0);
		this.clients = KontrolClients.factory(this.executor, this.scheduler);
	}

	@AfterEach
	void stop() throws Exception {
		this.clients.close();
		this.kontrol.close();
		this.scheduler.shutdown();
		this.executor.shutdownNow();
		this.executor.awaitTermination(10, TimeUnit.SECONDS);
	}

	@Test
	void registersAndIsFoundWithATokenAndTheKey() throws Exception {
		Kite math = KontrolClients.kite("alice", "math");
		KontrolClient registering = client(math, "alice");
		RegisterResult registered = registering.register(URI.create("http://10.0.0.5:3636/kite"))
			.get(15, TimeUnit.SECONDS);
		assertThat(registered.url()).isEqualTo("http://10.0.0.5:3636/kite");
		assertThat(registered.heartbeatInterval()).isZero();
		assertThat(registered.kiteKey()).isEmpty();

		KontrolClient finder = client(KontrolClients.kite("bob", "cli"), "bob");
		List<KiteWithToken> found = finder.getKites(new KontrolQuery("alice", "production", "math", "", "", "", ""))
			.get(15, TimeUnit.SECONDS);
		assertThat(found).singleElement().satisfies((kite) -> {
			assertThat(kite.kite()).isEqualTo(math);
			assertThat(kite.url()).isEqualTo("http://10.0.0.5:3636/kite");
			assertThat(kite.token()).isNotEmpty();
		});
		String token = finder.getToken(new KontrolQuery("", "", "", "", "", "", math.id()), false)
			.get(15, TimeUnit.SECONDS);
		assertThat(token).isNotEmpty();
		assertThat(finder.getKey().get(15, TimeUnit.SECONDS)).isEqualTo(KontrolFixture.SELF.publicKey());
		assertThat(finder.getKites(new KontrolQuery("alice", "production", "nothing", "", "", "", ""))
			.get(15, TimeUnit.SECONDS)).isEmpty();
	}

	@Test
	void kontrolsErrorsSurfaceWithItsMessage() {
		KontrolClient client = client(KontrolClients.kite("alice", "math"), "alice");
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> client.register(URI.create("")).get(15, TimeUnit.SECONDS))
			.havingRootCause()
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.error().message()).isEqualTo("empty url"));
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> client.getKites(new KontrolQuery("", "", "", "", "", "", "")).get(15, TimeUnit.SECONDS))
			.havingRootCause()
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.error().message()).isEqualTo("all query fields are empty"));
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> client.getToken(new KontrolQuery("alice", "production", "none", "", "", "", ""), false)
				.get(15, TimeUnit.SECONDS))
			.havingRootCause()
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.error().message()).isEqualTo(Kontrol.NO_KITES_FOUND));
	}

	@Test
	void aRegisterWithAnInvalidIdentityIsRefused() {
		Kite incomplete = new Kite("math", "alice", java.util.UUID.randomUUID().toString(), "production", "eu", "",
				"h");
		KontrolClient client = client(incomplete, "alice");
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> client.register(URI.create("http://10.0.0.5:3636/kite")).get(15, TimeUnit.SECONDS))
			.havingRootCause()
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.error().message()).isEqualTo("Empty Kite field: version"));
		assertThat(this.store.findById(incomplete.id())).isEmpty();
	}

	private KontrolClient client(Kite kite, String username) {
		return KontrolClients.client(this.clients, this.kontrol.url(), kite,
				KontrolClients.key(this.kontrol.kontrol.issueKiteKey(username)), null);
	}

}
