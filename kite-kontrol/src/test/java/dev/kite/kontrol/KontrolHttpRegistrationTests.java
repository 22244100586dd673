package dev.kite.kontrol;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.client.ReconnectPolicy;
import dev.kite.client.kontrol.KontrolHttpRegistration;
import dev.kite.client.kontrol.KontrolKeyRotation;
import dev.kite.client.kontrol.KontrolRegistrationStatus.State;
import dev.kite.kontrol.KontrolDnodeRegistrationTests.Recorder;
import dev.kite.kontrol.store.memory.InMemoryKeyPairStore;
import dev.kite.kontrol.store.memory.InMemoryKiteStore;
import dev.kite.protocol.Kite;
import dev.kite.protocol.RegisterResult;
import dev.kite.test.ManualTaskScheduler;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link KontrolHttpRegistration} against a real Java Kontrol's HTTP endpoints on a
 * socket, its heartbeats and retries on a {@link ManualTaskScheduler}: register,
 * {@code pong}, a Kontrol restart answered {@code registeragain} and registered again, a
 * refused kite key retried with Go's backoff, Kontrol down at start.
 */
class KontrolHttpRegistrationTests {

	private static final URI MATH_URL = URI.create("http://10.0.0.5:3636/kite");

	private static final ReconnectPolicy BACKOFF = KontrolHttpRegistration.DEFAULT_BACKOFF.withoutJitter();

	private final ExecutorService executor = EmbeddedKiteServer.executor();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final InMemoryKiteStore store = new InMemoryKiteStore();

	private final InMemoryKeyPairStore keyPairs = new InMemoryKeyPairStore();

	private final ManualTaskScheduler manual = new ManualTaskScheduler();

	private final Recorder recorder = new Recorder();

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	private final Kite math = KontrolClients.kite("claimed", "math");

	private ServedKontrol kontrol;

	private @Nullable KontrolHttpRegistration registration;

	@BeforeEach
	void start() throws Exception {
		this.scheduler.setPoolSize(2);
		this.scheduler.initialize();
		this.kontrol = new ServedKontrol(this.store, this.keyPairs, this.executor, this.scheduler, 0);
		this.log.start();
		logger().addAppender(this.log);
	}

	@AfterEach
	void stop() throws Exception {
		logger().detachAppender(this.log);
		if (this.registration != null) {
			this.registration.close();
		}
		this.kontrol.close();
		this.scheduler.shutdown();
		this.executor.shutdownNow();
		this.executor.awaitTermination(10, TimeUnit.SECONDS);
	}

	@Test
	void registersAndHeartbeatsEveryInterval() throws Exception {
		KontrolHttpRegistration registration = registration(this.kontrol.url(),
				KontrolClients.key(this.kontrol.kontrol.issueKiteKey("alice")), null);
		registration.start(MATH_URL);
		RegisterResult result = registration.firstRegistration().get(15, TimeUnit.SECONDS);
		assertThat(result.url()).isEqualTo(MATH_URL.toString());
		assertThat(result.heartbeatInterval()).isEqualTo(10);
		assertThat(registration.status().state()).isEqualTo(State.REGISTERED);
		assertThat(registration.status().lastRegistered()).isEqualTo(this.manual.now());
		assertThat(this.store.findById(this.math.id())).hasValueSatisfying((record) -> {
			assertThat(record.kite()).isEqualTo(this.math.withUsername("alice"));
			assertThat(record.url()).isEqualTo(MATH_URL.toString());
		});
		assertThat(this.kontrol.kontrol.httpEndpoints().isTracked(this.math.id())).isTrue();
		assertThat(registration.status().lastHeartbeat()).isNull();

		this.manual.advance(Duration.ofSeconds(9));
		assertThat(registration.status().lastHeartbeat()).isNull();
		this.manual.advance(Duration.ofSeconds(1));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.manual.now().equals(registration.status().lastHeartbeat()));
		this.manual.advance(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.manual.now().equals(registration.status().lastHeartbeat()));
		assertThat(registration.status().state()).isEqualTo(State.REGISTERED);
		assertThat(this.recorder.registered).hasSize(1);

		registration.close();
		assertThat(registration.status().state()).isEqualTo(State.CLOSED);
		assertThat(this.manual.pending()).isEmpty();
		assertThat(this.recorder.deregistered).isEqualTo(1);
	}

	@Test
	void aKontrolRestartAnswersRegisterAgainAndTheKiteRegistersAgain() throws Exception {
		KontrolHttpRegistration registration = registration(this.kontrol.url(),
				KontrolClients.key(this.kontrol.kontrol.issueKiteKey("alice")), null);
		registration.start(MATH_URL);
		registration.firstRegistration().get(15, TimeUnit.SECONDS);
		int port = this.kontrol.port();

		this.kontrol.close();
		// Kontrol is down: heartbeats fail, are logged once, and go on (as in Go)
		for (int i = 1; i <= 3; i++) {
			int failed = i;
			this.manual.advance(Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(20))
				.until(() -> registration.status().state() == State.RETRYING
						&& debugs("Heartbeat") + warnings("Heartbeat") == failed);
		}
		assertThat(registration.status().lastError()).startsWith("heartbeat failed");
		assertThat(warnings("Heartbeat")).isEqualTo(1);

		this.kontrol = new ServedKontrol(this.store, this.keyPairs, this.executor, this.scheduler, port);
		assertThat(this.kontrol.kontrol.httpEndpoints().isTracked(this.math.id())).isFalse();
		assertThat(this.recorder.registered).hasSize(1);
		this.manual.advance(Duration.ofSeconds(10)); // heartbeat → registeragain →
														// register at once
		await().atMost(Duration.ofSeconds(20)).until(() -> this.recorder.registered.size() == 2);
		assertThat(registration.status().state()).isEqualTo(State.REGISTERED);
		assertThat(registration.status().lastError()).isNull();
		assertThat(this.kontrol.kontrol.httpEndpoints().isTracked(this.math.id())).isTrue();
		assertThat(this.recorder.failures).isEmpty();
		// the old cycle's heartbeats stopped; the new one's run
		assertThat(this.manual.pending()).hasSize(1);
		this.manual.advance(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.manual.now().equals(registration.status().lastHeartbeat()));
	}

	@Test
	void aRefusedKiteKeyIsRetriedWithGosBackoff() throws Exception {
		// signed by a pair this Kontrol never stored: 401 {"err":…}
		String stranger = this.kontrol.kontrol.tokens().kiteKey("alice", KontrolFixture.OTHER, "");
		KontrolHttpRegistration registration = registration(this.kontrol.url(), KontrolClients.key(stranger), null);
		registration.start(MATH_URL);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.failures.size() == 1);
		assertThat(this.recorder.failures.get(0)).hasMessage("HTTP 401: kontrol key is not trusted");
		assertThat(registration.status().state()).isEqualTo(State.RETRYING);
		assertThat(registration.status().lastError()).isEqualTo("HTTP 401: kontrol key is not trusted");

		List<Duration> expected = List.of(Duration.ofSeconds(30), Duration.ofSeconds(51), Duration.ofMillis(86700),
				Duration.ofMillis(147390));
		for (int attempt = 1; attempt < expected.size(); attempt++) {
			Duration delay = expected.get(attempt - 1);
			this.manual.advance(delay.minusMillis(1));
			assertThat(this.recorder.failures).hasSize(attempt);
			this.manual.advance(Duration.ofMillis(1));
			int failures = attempt + 1;
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.failures.size() == failures);
		}
		assertThat(this.recorder.retryIn).containsExactlyElementsOf(expected);
		assertThat(warnings("Registering with Kontrol")).isEqualTo(expected.size());
		assertThat(this.store.findById(this.math.id())).isEmpty();
	}

	@Test
	void kontrolDownAtStartRetriesInTheBackgroundAndClosesPromptly() throws Exception {
		int port;
		try (ServerSocket free = new ServerSocket(0)) {
			port = free.getLocalPort();
		}
		KontrolHttpRegistration registration = registration("http://127.0.0.1:" + port + "/kite",
				KontrolClients.key(this.kontrol.kontrol.issueKiteKey("alice")), null);
		registration.start(MATH_URL);
		assertThat(registration.firstRegistration()).isNotDone();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.failures.size() == 1);
		assertThat(registration.status().state()).isEqualTo(State.RETRYING);
		this.manual.advance(Duration.ofSeconds(30));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.failures.size() == 2);
		assertThat(warnings("Registering with Kontrol")).isEqualTo(2);

		registration.close();
		assertThat(registration.status().state()).isEqualTo(State.CLOSED);
		assertThat(registration.firstRegistration()).isCompletedExceptionally();
		assertThat(this.manual.pending()).isEmpty();
	}

	@Test
	void adoptsAKeyRotationAnnouncedOverHttp() throws Exception {
		this.keyPairs.add(KontrolFixture.OTHER);
		String old = this.kontrol.kontrol.tokens().kiteKey("alice", KontrolFixture.OTHER, "");
		this.keyPairs.delete(KontrolFixture.OTHER.id());
		KeyRotationFixture rotation = new KeyRotationFixture(old);
		KontrolHttpRegistration registration = registration(this.kontrol.url(), rotation.kiteKey, rotation.rotation());
		registration.start(MATH_URL);
		RegisterResult result = registration.firstRegistration().get(15, TimeUnit.SECONDS);
		assertThat(result.kiteKey()).isNotEmpty();
		assertThat(result.publicKey()).isEqualTo(KontrolFixture.SELF.publicKey());
		rotation.assertRotatedTo(result.kiteKey());
		// the record is under the self pair; heartbeats go on with the new key
		assertThat(this.store.findById(this.math.id()).orElseThrow().keyId()).isEqualTo(KontrolFixture.SELF.id());
		this.manual.advance(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.manual.now().equals(registration.status().lastHeartbeat()));
	}

	private KontrolHttpRegistration registration(String kontrolUrl, LocalKiteKey key,
			@Nullable KontrolKeyRotation rotation) {
		KontrolHttpRegistration created = KontrolHttpRegistration
			.builder(URI.create(kontrolUrl), this.math, key, this.manual)
			.backoff(BACKOFF)
			.timeout(Duration.ofSeconds(10))
			.rotation(rotation)
			.listener(this.recorder)
			.build();
		this.registration = created;
		return created;
	}

	private long warnings(String prefix) {
		return count(Level.WARN, prefix);
	}

	private long debugs(String prefix) {
		return count(Level.DEBUG, prefix);
	}

	private long count(Level level, String prefix) {
		return this.log.list.stream()
			.filter((event) -> event.getLevel() == level && event.getFormattedMessage().startsWith(prefix))
			.count();
	}

	private static Logger logger() {
		Logger logger = (Logger) LoggerFactory.getLogger(KontrolHttpRegistration.class);
		logger.setLevel(Level.DEBUG);
		return logger;
	}

}
