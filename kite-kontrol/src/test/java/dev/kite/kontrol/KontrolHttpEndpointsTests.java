package dev.kite.kontrol;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.kite.auth.jwt.GoJwt;
import dev.kite.kontrol.store.KiteRecord;
import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import dev.kite.protocol.RegisterArgs;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /register} and {@code GET /heartbeat} (PROTOCOL §6.9).
 */
class KontrolHttpEndpointsTests {

	private static final String URL = "http://10.0.0.5:3636/kite";

	private final KontrolFixture fixture = new KontrolFixture();

	private final KontrolHttpEndpoints http = this.fixture.kontrol.httpEndpoints();

	private final Kite kite = KontrolFixture.kite("claimed", "math", "1.0.0", UUID.randomUUID().toString());

	@Test
	void registersUnderTheKiteKeysUsernameWithTheHttpHeartbeatInterval() {
		HttpAnswer answer = register(new RegisterArgs(URL, this.kite, auth("alice")));

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.contentType()).isEqualTo("text/plain; charset=utf-8");
		assertThat(answer.bodyText()).isEqualTo("{\"url\":\"" + URL + "\",\"heartbeatInterval\":10}\n");
		KiteRecord record = this.fixture.store.findById(this.kite.id()).orElseThrow();
		assertThat(record.kite()).isEqualTo(this.kite.withUsername("alice"));
		assertThat(record.url()).isEqualTo(URL);
	}

	@Test
	void answersGosErrors() {
		assertError(this.http.register("{".getBytes(StandardCharsets.UTF_8)), 400, "wrong register input: '");
		assertError(register(new RegisterArgs(URL, this.kite, null)), 400, "wrong register input: 'auth is missing'");
		assertError(register(new RegisterArgs(URL, null, auth("alice"))), 400,
				"wrong register input: 'kite is missing'");
		assertError(register(new RegisterArgs(URL, this.kite, new Auth("token", "x"))), 400,
				"unexpected authentication type: token");
		assertError(register(new RegisterArgs("", this.kite, auth("alice"))), 400, "empty URL");
		assertError(register(new RegisterArgs(URL, this.kite, new Auth("kiteKey", "not.a.jwt"))), 401, "");
		Kite incomplete = new Kite("math", "x", UUID.randomUUID().toString(), "production", "eu", "", "h");
		assertError(register(new RegisterArgs(URL, incomplete, auth("alice"))), 400, "Empty Kite field: version");
		assertThat(this.fixture.store.findById(incomplete.id())).isEmpty();
	}

	@Test
	void reKeysADeletedPairOverHttpToo() {
		this.fixture.keyPairs.add(KontrolFixture.OTHER);
		String oldKey = this.fixture.kontrol.tokens().kiteKey("bob", KontrolFixture.OTHER, "");
		this.fixture.keyPairs.delete(KontrolFixture.OTHER.id());

		HttpAnswer answer = register(new RegisterArgs(URL, this.kite, new Auth("kiteKey", oldKey)));

		JsonNode body = this.fixture.mapper.readTree(answer.bodyText());
		assertThat(body.get("publicKey").stringValue()).isEqualTo(KontrolFixture.SELF.publicKey());
		assertThat(GoJwt.parse(body.get("kiteKey").stringValue()).kontrolKey)
			.isEqualTo(KontrolFixture.SELF.publicKey());
	}

	@Test
	void heartbeatsKeepATrackedKiteAndRefreshItsRecord() {
		assertThat(this.http.heartbeat(null)).isEqualTo(HttpAnswer.text(400, "query id is empty\n"));
		assertThat(this.http.heartbeat("")).isEqualTo(HttpAnswer.text(400, "query id is empty\n"));
		assertThat(this.http.heartbeat(this.kite.id())).isEqualTo(HttpAnswer.text(200, "registeragain"));

		Instant registered = this.fixture.scheduler.now();
		register(new RegisterArgs(URL, this.kite, auth("alice")));
		for (int i = 0; i < 7; i++) {
			this.fixture.advance(Duration.ofSeconds(10));
			assertThat(this.http.heartbeat(this.kite.id())).isEqualTo(HttpAnswer.text(200, "pong"));
		}
		// the refresher wrote at 60 s
		assertThat(this.fixture.store.findById(this.kite.id()).orElseThrow().updatedAt())
			.isEqualTo(registered.plusSeconds(60));

		this.fixture.advance(Duration.ofSeconds(29));
		assertThat(this.http.isTracked(this.kite.id())).isTrue();
		this.fixture.advance(Duration.ofSeconds(1));
		assertThat(this.http.isTracked(this.kite.id())).isFalse();
		assertThat(this.http.heartbeat(this.kite.id())).isEqualTo(HttpAnswer.text(200, "registeragain"));
		// no more refreshes: the record is left to expire
		this.fixture.advance(Duration.ofSeconds(120));
		assertThat(this.fixture.store.findById(this.kite.id()).orElseThrow().updatedAt())
			.isEqualTo(registered.plusSeconds(60));
	}

	@Test
	void aRepeatedRegistrationReplacesTheUrlTheRefresherWrites() {
		Instant registered = this.fixture.scheduler.now();
		register(new RegisterArgs(URL, this.kite, auth("alice")));
		this.fixture.advance(Duration.ofSeconds(20));
		register(new RegisterArgs("http://10.0.0.6:3636/kite", this.kite, auth("alice")));
		this.fixture.advance(Duration.ofSeconds(20));
		this.http.heartbeat(this.kite.id());
		this.fixture.advance(Duration.ofSeconds(20));

		KiteRecord record = this.fixture.store.findById(this.kite.id()).orElseThrow();
		assertThat(record.url()).isEqualTo("http://10.0.0.6:3636/kite");
		assertThat(record.updatedAt()).isEqualTo(registered.plusSeconds(60));
	}

	private HttpAnswer register(RegisterArgs args) {
		return this.http.register(this.fixture.mapper.writeValueAsBytes(args));
	}

	private Auth auth(String username) {
		return new Auth("kiteKey", this.fixture.kontrol.issueKiteKey(username));
	}

	private static void assertError(HttpAnswer answer, int status, String messageStart) {
		assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
		assertThat(answer.contentType()).isEqualTo("text/plain; charset=utf-8");
		assertThat(answer.bodyText()).startsWith("{\"err\":\"" + messageStart).endsWith("\"}\n");
	}

}
