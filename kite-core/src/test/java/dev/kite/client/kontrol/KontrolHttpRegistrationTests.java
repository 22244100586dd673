package dev.kite.client.kontrol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JWSAlgorithm;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kite.auth.TestKeys;
import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.client.ReconnectPolicy;
import dev.kite.client.kontrol.KontrolRegistrationStatus.State;
import dev.kite.protocol.Kite;
import dev.kite.protocol.RegisterResult;
import dev.kite.test.ManualTaskScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * {@link KontrolHttpRegistration}'s endpoints, backoff and wire details, against a
 * scripted HTTP server (the whole exchange with a real Kontrol is in kite-kontrol's
 * tests).
 */
class KontrolHttpRegistrationTests {

	private final ManualTaskScheduler scheduler = new ManualTaskScheduler();

	private final Kite kite = new Kite("math", "alice", UUID.randomUUID().toString(), "production", "eu", "1.0.0",
			"worker-1");

	private final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();

	private final List<Object[]> heartbeatAnswers = new CopyOnWriteArrayList<>();

	private volatile Object[] registerAnswer = { 200,
			"{\"url\":\"http://10.0.0.5:3636/kite\",\"heartbeatInterval\":10}\n" };

	private HttpServer server;

	private KontrolHttpRegistration registration;

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/register", (exchange) -> answer(exchange, this.registerAnswer));
		this.server.createContext("/heartbeat", (exchange) -> answer(exchange,
				this.heartbeatAnswers.isEmpty() ? new Object[] { 200, "pong" } : this.heartbeatAnswers.remove(0)));
		this.server.start();
	}

	@AfterEach
	void stop() {
		if (this.registration != null) {
			this.registration.close();
		}
		this.server.stop(0);
	}

	@Test
	void endpointsAreDerivedAsGoDoes() {
		assertThat(KontrolHttpRegistration.endpoint(URI.create("http://h:4000/kite"), "register"))
			.hasToString("http://h:4000/register");
		assertThat(KontrolHttpRegistration.endpoint(URI.create("http://h:4000/kite/"), "heartbeat"))
			.hasToString("http://h:4000/heartbeat");
		assertThat(KontrolHttpRegistration.endpoint(URI.create("https://h/base/kite"), "register"))
			.hasToString("https://h/base/register");
		assertThat(KontrolHttpRegistration.endpoint(URI.create("http://h:4000"), "register"))
			.hasToString("http://h:4000/register");
		assertThat(KontrolHttpRegistration.endpoint(URI.create("http://h:4000/"), "register"))
			.hasToString("http://h:4000/register");
		assertThat(KontrolHttpRegistration.endpoint(URI.create("http://h/kontrol"), "register"))
			.hasToString("http://h/kontrol/register");
		assertThat(KontrolHttpRegistration.endpoint(URI.create("http://h/kites"), "register"))
			.hasToString("http://h/kites/register");
		assertThat(KontrolHttpRegistration.endpoint(URI.create("http://u@h:1/kite?x=1"), "register"))
			.hasToString("http://u@h:1/register");
	}

	@Test
	void backoffIsGos() {
		ReconnectPolicy go = KontrolHttpRegistration.DEFAULT_BACKOFF;
		assertThat(go.interval(0)).isEqualTo(Duration.ofSeconds(30));
		assertThat(go.interval(1)).isEqualTo(Duration.ofSeconds(51));
		assertThat(go.interval(2)).isEqualTo(Duration.ofMillis(86700));
		assertThat(go.interval(4)).isEqualTo(Duration.ofMillis(250563));
		assertThat(go.interval(5)).isEqualTo(Duration.ofMinutes(5));
		assertThat(go.interval(100)).isEqualTo(Duration.ofMinutes(5));
		assertThat(go.delay(0, () -> 0.0)).isEqualTo(Duration.ofSeconds(15));
		assertThat(go.delay(0, () -> 0.5)).isEqualTo(Duration.ofSeconds(30));
		assertThat(go.delay(0, () -> 0.999999)).isEqualTo(Duration.ofMillis(44_999 + 1));
		assertThat(go.delay(8, () -> 0.0)).isEqualTo(Duration.ofSeconds(150));
		assertThat(go.withoutJitter().delay(1, () -> 0.0)).isEqualTo(Duration.ofSeconds(51));
	}

	@Test
	void aKiteWithoutAKiteKeyCannotRegister() {
		assertThatIllegalStateException().isThrownBy(() -> KontrolHttpRegistration
			.builder(URI.create("http://h/kite"), this.kite, new LocalKiteKey(null), this.scheduler)
			.build());
	}

	@Test
	void postsGosRegisterArgsWithTheCurrentKiteKeyAndHeartbeatsWithTheId() throws Exception {
		LocalKiteKey key = new LocalKiteKey(KiteKey.parse(kiteKey("first")));
		this.registration = registration(key);
		this.registration.start(URI.create("http://10.0.0.5:3636/kite"));
		this.registration.firstRegistration().get(10, TimeUnit.SECONDS);
		Recorded register = this.requests.poll(10, TimeUnit.SECONDS);
		assertThat(register.method()).isEqualTo("POST");
		assertThat(register.path()).isEqualTo("/register");
		assertThat(register.contentType()).isEqualTo("application/json");
		assertThat(register.body()).isEqualTo("{\"url\":\"http://10.0.0.5:3636/kite\",\"kite\":{\"name\":\"math\","
				+ "\"username\":\"alice\",\"id\":\"" + this.kite.id() + "\",\"environment\":\"production\","
				+ "\"region\":\"eu\",\"version\":\"1.0.0\",\"hostname\":\"worker-1\"},\"auth\":{\"type\":\"kiteKey\","
				+ "\"key\":\"" + key.get().orElseThrow().raw() + "\"}}");

		this.scheduler.advance(Duration.ofSeconds(10));
		Recorded heartbeat = this.requests.poll(10, TimeUnit.SECONDS);
		assertThat(heartbeat.method()).isEqualTo("GET");
		assertThat(heartbeat.path()).isEqualTo("/heartbeat");
		assertThat(heartbeat.query()).isEqualTo("id=" + this.kite.id());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.scheduler.now().equals(this.registration.status().lastHeartbeat()));

		// registeragain: the next register carries the key in use now
		key.update(KiteKey.parse(kiteKey("second")));
		this.heartbeatAnswers.add(new Object[] { 200, "registeragain\n" });
		this.scheduler.advance(Duration.ofSeconds(10));
		assertThat(this.requests.poll(10, TimeUnit.SECONDS).path()).isEqualTo("/heartbeat");
		Recorded again = this.requests.poll(10, TimeUnit.SECONDS);
		assertThat(again.path()).isEqualTo("/register");
		assertThat(again.body()).contains(key.get().orElseThrow().raw());
	}

	@Test
	void aRegisterAnswerWithoutAHeartbeatIntervalFails() throws Exception {
		this.registerAnswer = new Object[] { 200, "{\"url\":\"http://10.0.0.5:3636/kite\",\"heartbeatInterval\":0}" };
		RecordingListener listener = new RecordingListener();
		this.registration = registration(new LocalKiteKey(KiteKey.parse(kiteKey("k"))), listener);
		this.registration.start(URI.create("http://10.0.0.5:3636/kite"));
		await().atMost(Duration.ofSeconds(10)).until(() -> listener.failures.size() == 1);
		assertThat(listener.failures.get(0)).hasMessage("heartbeat interval cannot be zero");
		assertThat(this.registration.status().state()).isEqualTo(State.RETRYING);
	}

	@Test
	void aBodyThatIsNotJsonFailsWithTheStatus() throws Exception {
		this.registerAnswer = new Object[] { 404, "404 page not found\n" };
		RecordingListener listener = new RecordingListener();
		this.registration = registration(new LocalKiteKey(KiteKey.parse(kiteKey("k"))), listener);
		this.registration.start(URI.create("http://10.0.0.5:3636/kite"));
		await().atMost(Duration.ofSeconds(10)).until(() -> listener.failures.size() == 1);
		assertThat(listener.failures.get(0)).hasMessage("HTTP 404 without a register result");
	}

	@Test
	void aMalformedOrFailedHeartbeatKeepsHeartbeatingAndAPongRecovers() throws Exception {
		this.registration = registration(new LocalKiteKey(KiteKey.parse(kiteKey("k"))));
		this.registration.start(URI.create("http://10.0.0.5:3636/kite"));
		this.registration.firstRegistration().get(10, TimeUnit.SECONDS);
		this.requests.clear();
		// Go reads 16 bytes and trims: a longer answer is malformed, so is a non-200
		// status
		this.heartbeatAnswers.add(new Object[] { 200, "pongpongpongpongpong" });
		this.heartbeatAnswers.add(new Object[] { 500, "pong" });
		this.scheduler.advance(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "heartbeat failed: malformed heartbeat response: pongpongpongpong"
				.equals(this.registration.status().lastError()));
		assertThat(this.registration.status().state()).isEqualTo(State.RETRYING);
		this.scheduler.advance(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "heartbeat failed: unexpected status code: 500"
				.equals(this.registration.status().lastError()));
		this.scheduler.advance(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.scheduler.now().equals(this.registration.status().lastHeartbeat()));
		assertThat(this.registration.status().state()).isEqualTo(State.REGISTERED);
		assertThat(this.registration.status().lastError()).isNull();
		assertThat(this.requests.stream().map(Recorded::path)).containsOnly("/heartbeat").hasSize(3);
	}

	private KontrolHttpRegistration registration(LocalKiteKey key) {
		return registration(key, KontrolRegistrationListener.NONE);
	}

	private KontrolHttpRegistration registration(LocalKiteKey key, KontrolRegistrationListener listener) {
		return KontrolHttpRegistration
			.builder(URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/kite"), this.kite, key,
					this.scheduler)
			.random(() -> 0.5)
			.timeout(Duration.ofSeconds(10))
			.listener(listener)
			.build();
	}

	private void answer(HttpExchange exchange, Object[] answer) throws IOException {
		byte[] body = exchange.getRequestBody().readAllBytes();
		this.requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
				exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Content-Type"),
				new String(body, StandardCharsets.UTF_8)));
		byte[] out = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
		exchange.sendResponseHeaders((Integer) answer[0], out.length);
		exchange.getResponseBody().write(out);
		exchange.close();
	}

	private static String kiteKey(String jti) {
		return TestKeys.rsaJwt(JWSAlgorithm.RS256, TestKeys.KONTROL,
				TestKeys.claims("iss", "kontrol", "sub", "alice", "jti", jti, "kontrolURL", "http://kontrol/kite",
						"kontrolKey", TestKeys.pem(TestKeys.KONTROL.getPublic())));
	}

	record Recorded(String method, String path, String query, String contentType, String body) {
	}

	static final class RecordingListener implements KontrolRegistrationListener {

		final List<Throwable> failures = new CopyOnWriteArrayList<>();

		@Override
		public void failed(Throwable failure, Duration retryIn) {
			this.failures.add(failure);
		}

	}

}
