package dev.kite.kontrol;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.kontrol.KontrolClient;
import dev.kite.client.kontrol.KontrolDnodeRegistration;
import dev.kite.client.kontrol.KontrolRegistrationListener;
import dev.kite.client.kontrol.KontrolRegistrationStatus.State;
import dev.kite.kontrol.store.memory.InMemoryKeyPairStore;
import dev.kite.kontrol.store.memory.InMemoryKiteStore;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.KontrolQuery;
import dev.kite.protocol.RegisterResult;
import dev.kite.test.ManualTaskScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link KontrolDnodeRegistration} against a real Java Kontrol on a socket: registers on
 * start, answers Kontrol's heartbeat, deregisters on close, registers again after a
 * Kontrol restart, keeps retrying while Kontrol is down or refuses, and stops at once
 * when closed.
 */
class KontrolDnodeRegistrationTests {

	private static final URI MATH_URL = URI.create("http://10.0.0.5:3636/kite");

	private final ExecutorService executor = EmbeddedKiteServer.executor();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final InMemoryKiteStore store = new InMemoryKiteStore();

	private final InMemoryKeyPairStore keyPairs = new InMemoryKeyPairStore();

	private final ManualTaskScheduler manual = new ManualTaskScheduler();

	private final Recorder recorder = new Recorder();

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	private ServedKontrol kontrol;

	private KiteClientFactory clients;

	private KontrolDnodeRegistration registration;

	@BeforeEach
	void start() throws Exception {
		this.scheduler.setPoolSize(2);
		this.scheduler.initialize();
		this.kontrol = new ServedKontrol(this.store, this.keyPairs, this.executor, this.scheduler, 0);
		this.log.start();
		((Logger) LoggerFactory.getLogger("dev.kite.client")).addAppender(this.log);
	}

	@AfterEach
	void stop() throws Exception {
		((Logger) LoggerFactory.getLogger("dev.kite.client")).detachAppender(this.log);
		if (this.registration != null) {
			this.registration.close();
		}
		if (this.clients != null) {
			this.clients.close();
		}
		this.kontrol.close();
		this.scheduler.shutdown();
		this.executor.shutdownNow();
		this.executor.awaitTermination(10, TimeUnit.SECONDS);
	}

	@Test
	void registersAnswersHeartbeatsAndDeregistersOnClose() throws Exception {
		Kite math = KontrolClients.kite("alice", "math");
		this.registration = registration(math, this.scheduler, this.scheduler);
		this.registration.start(MATH_URL);
		RegisterResult result = this.registration.firstRegistration().get(15, TimeUnit.SECONDS);
		assertThat(result.url()).isEqualTo(MATH_URL.toString());
		assertThat(this.registration.status().state()).isEqualTo(State.REGISTERED);
		assertThat(this.registration.status().lastRegistered()).isNotNull();
		// Kontrol asked for heartbeats over the same connection; the kite pinged at once
		await().atMost(Duration.ofSeconds(10)).until(() -> this.registration.status().lastHeartbeat() != null);
		assertThat(this.kontrol.kontrol.isHeartbeatActive(math.id())).isTrue();
		assertThat(findMath()).singleElement()
			.satisfies((found) -> assertThat(found.url()).isEqualTo(MATH_URL.toString()));

		this.registration.close();
		assertThat(this.registration.status().state()).isEqualTo(State.CLOSED);
		await().atMost(Duration.ofSeconds(10)).until(() -> findMath().isEmpty());
		assertThat(this.recorder.deregistered).isEqualTo(1);
	}

	@Test
	void registersAgainAfterAKontrolRestartWithGosReconnectBackoff() throws Exception {
		Kite math = KontrolClients.kite("alice", "math");
		this.registration = registration(math, this.scheduler, this.scheduler);
		this.registration.start(MATH_URL);
		this.registration.firstRegistration().get(15, TimeUnit.SECONDS);
		int port = this.kontrol.port();

		long stopped = System.nanoTime();
		this.kontrol.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.registration.status().state() == State.RETRYING);
		this.kontrol = new ServedKontrol(this.store, this.keyPairs, this.executor, this.scheduler, port);
		long restarted = System.nanoTime();
		await().atMost(Duration.ofSeconds(120)).until(() -> this.recorder.registered.size() == 2);
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
		System.out.println("Re-registered " + millis + " ms after Kontrol came back, "
				+ TimeUnit.NANOSECONDS.toMillis(restarted - stopped) + " ms after it stopped (Go reconnect backoff)");
		assertThat(this.registration.status().state()).isEqualTo(State.REGISTERED);
		assertThat(this.store.findById(math.id())).isPresent();
	}

	@Test
	void registersAgainOnlyOnceTheReconnectHappens() throws Exception {
		Kite math = KontrolClients.kite("alice", "math");
		// The client's redials and the registration's retries run on the manual
		// scheduler.
		this.registration = registration(math, this.manual, this.manual);
		this.registration.start(MATH_URL);
		this.registration.firstRegistration().get(15, TimeUnit.SECONDS);
		int port = this.kontrol.port();

		this.kontrol.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.registration.status().state() == State.RETRYING);
		this.kontrol = new ServedKontrol(this.store, this.keyPairs, this.executor, this.scheduler, port);
		Instant back = this.manual.now();
		// Kontrol is back, but nobody has dialed it: still not registered
		assertThat(this.recorder.registered).hasSize(1);
		assertThat(this.registration.status().state()).isEqualTo(State.RETRYING);

		await().atMost(Duration.ofSeconds(30)).until(() -> {
			this.manual.advance(Duration.ofMillis(250));
			return this.recorder.registered.size() == 2;
		});
		assertThat(this.registration.status().state()).isEqualTo(State.REGISTERED);
		assertThat(this.registration.status().lastRegistered()).isAfter(back);
		assertThat(this.store.findById(math.id())).isPresent();
	}

	@Test
	void kontrolDownAtStartRetriesInTheBackgroundAndClosesPromptly() throws Exception {
		int port;
		try (ServerSocket free = new ServerSocket(0)) {
			port = free.getLocalPort();
		}
		this.clients = KontrolClients.factory(this.executor, this.manual);
		KontrolClient client = KontrolClients.client(this.clients, "http://127.0.0.1:" + port + "/kite",
				KontrolClients.kite("alice", "math"), KontrolClients.key(this.kontrol.kontrol.issueKiteKey("alice")),
				null);
		this.registration = new KontrolDnodeRegistration(client, this.manual, Duration.ofSeconds(10), this.recorder);

		this.registration.start(MATH_URL);
		assertThat(this.registration.status().state()).isEqualTo(State.REGISTERING);
		assertThat(this.registration.firstRegistration()).isNotDone();
		await().atMost(Duration.ofSeconds(10)).until(() -> warnings().size() == 1);
		for (int retry = 2; retry <= 4; retry++) {
			int expected = retry;
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				this.manual.advance(Duration.ofSeconds(1));
				// >=: a dial's failure is real time, so two may land between two polls
				return warnings().size() >= expected;
			});
		}
		assertThat(warnings()).allSatisfy((line) -> assertThat(line).startsWith("Dialing kite"));
		assertThat(this.registration.status().state()).isIn(State.REGISTERING, State.RETRYING);

		this.registration.close();
		assertThat(this.registration.status().state()).isEqualTo(State.CLOSED);
		assertThat(this.registration.firstRegistration()).isCompletedExceptionally();
		assertThat(this.manual.pending()).isEmpty(); // no redial, no retry left
		int warned = warnings().size();
		this.manual.advance(Duration.ofMinutes(10));
		assertThat(warnings()).hasSize(warned);
	}

	@Test
	void aRefusedRegisterIsRetriedEveryRetryInterval() throws Exception {
		Kite incomplete = new Kite("math", "alice", java.util.UUID.randomUUID().toString(), "production", "eu", "",
				"h");
		// the client on real time, the registration's retries on the manual scheduler
		this.registration = registration(incomplete, this.scheduler, this.manual);
		this.registration.start(MATH_URL);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.failures.size() == 1);
		assertThat(this.recorder.failures.get(0)).isInstanceOfSatisfying(KiteException.class,
				(ex) -> assertThat(ex.error().message()).isEqualTo("Empty Kite field: version"));
		assertThat(this.recorder.retryIn).containsExactly(Duration.ofSeconds(10));
		assertThat(this.registration.status().state()).isEqualTo(State.RETRYING);
		assertThat(this.registration.status().lastError()).contains("Empty Kite field: version");

		this.manual.advance(Duration.ofSeconds(9));
		assertThat(this.recorder.failures).hasSize(1);
		this.manual.advance(Duration.ofSeconds(1));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.failures.size() == 2);
		this.manual.advance(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.failures.size() == 3);
		assertThat(this.store.findById(incomplete.id())).isEmpty();
	}

	@Test
	void adoptsAKeyRotationAnnouncedOverDnode() throws Exception {
		this.keyPairs.add(KontrolFixture.OTHER);
		String old = this.kontrol.kontrol.tokens().kiteKey("alice", KontrolFixture.OTHER, "");
		this.keyPairs.delete(KontrolFixture.OTHER.id());
		KeyRotationFixture rotation = new KeyRotationFixture(old);
		this.clients = KontrolClients.factory(this.executor, this.scheduler);
		KontrolClient client = KontrolClients.client(this.clients, this.kontrol.url(),
				KontrolClients.kite("alice", "math"), rotation.kiteKey, rotation.rotation());
		this.registration = new KontrolDnodeRegistration(client, this.scheduler, Duration.ofSeconds(10), this.recorder);
		this.registration.start(MATH_URL);
		RegisterResult result = this.registration.firstRegistration().get(15, TimeUnit.SECONDS);
		assertThat(result.kiteKey()).isNotEmpty();
		assertThat(result.publicKey()).isEqualTo(KontrolFixture.SELF.publicKey());
		rotation.assertRotatedTo(result.kiteKey());
		// later calls carry the new key: getKey answers for the self pair
		assertThat(client.getKey().get(15, TimeUnit.SECONDS)).isEqualTo(KontrolFixture.SELF.publicKey());
	}

	private KontrolDnodeRegistration registration(Kite kite, TaskScheduler clientScheduler,
			TaskScheduler retryScheduler) {
		this.clients = KontrolClients.factory(this.executor, clientScheduler);
		KontrolClient client = KontrolClients.client(this.clients, this.kontrol.url(), kite,
				KontrolClients.key(this.kontrol.kontrol.issueKiteKey("alice")), null);
		return new KontrolDnodeRegistration(client, retryScheduler, Duration.ofSeconds(10), this.recorder);
	}

	private List<dev.kite.protocol.KiteWithToken> findMath() throws Exception {
		try (KontrolClient finder = KontrolClients.client(this.clients, this.kontrol.url(),
				KontrolClients.kite("bob", "cli"), KontrolClients.key(this.kontrol.kontrol.issueKiteKey("bob")),
				null)) {
			return finder.getKites(new KontrolQuery("alice", "production", "math", "", "", "", ""))
				.get(15, TimeUnit.SECONDS);
		}
	}

	private List<String> warnings() {
		return this.log.list.stream()
			.filter((event) -> event.getLevel() == Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	/** Records what the registration tells its listener. */
	static final class Recorder implements KontrolRegistrationListener {

		final List<RegisterResult> registered = new CopyOnWriteArrayList<>();

		final List<Throwable> failures = new CopyOnWriteArrayList<>();

		final List<Duration> retryIn = new CopyOnWriteArrayList<>();

		volatile int deregistered;

		final CompletableFuture<Void> anything = new CompletableFuture<>();

		@Override
		public void registered(RegisterResult result) {
			this.registered.add(result);
		}

		@Override
		public void failed(Throwable failure, Duration retryIn) {
			this.failures.add(failure);
			this.retryIn.add(retryIn);
		}

		@Override
		public void deregistered() {
			this.deregistered++;
		}

	}

}
