package dev.kite.kontrol;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.auth.KiteAuthoritiesConverter;
import dev.kite.auth.jwt.GoJwt;
import dev.kite.auth.provider.KiteKeyAuthenticationProvider;
import dev.kite.kontrol.store.KiteRecord;
import dev.kite.protocol.Kite;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.Authentication;
import tools.jackson.databind.JsonNode;

import static dev.kite.kontrol.TestPeer.kiteKey;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code register} over dnode (PROTOCOL §6.3, §6.8, §6.11) and the heartbeats that keep a
 * registration alive.
 */
class KontrolRegisterTests {

	private static final String URL = "http://10.0.0.5:3636/kite";

	private final KontrolFixture fixture = new KontrolFixture();

	private final Kite math = KontrolFixture.kite("mallory", "math", "1.0.0", UUID.randomUUID().toString());

	@Test
	void registersTheCallerUnderItsKiteKeyUsernameAndAsksForHeartbeatsBeforeAnswering() {
		TestPeer peer = this.fixture.connect(this.math);
		JsonNode response = peer.call("register", kiteKey(this.fixture.kontrol.issueKiteKey("alice")),
				Map.of("url", URL));

		assertThat(response.toString())
			.isEqualTo("{\"error\":null,\"result\":{\"url\":\"" + URL + "\",\"heartbeatInterval\":0}}");
		KiteRecord record = this.fixture.store.findById(this.math.id()).orElseThrow();
		assertThat(record.kite()).isEqualTo(this.math.withUsername("alice"));
		assertThat(record.url()).isEqualTo(URL);
		assertThat(record.keyId()).isEqualTo(KontrolFixture.SELF.id());

		List<String> order = new ArrayList<>();
		peer.received.forEach((frame) -> order.add(frame.get("method").toString()));
		assertThat(order).containsExactly("\"kite.heartbeat\"", "0");
		JsonNode heartbeat = peer.methodCalls("kite.heartbeat").get(0);
		assertThat(heartbeat.get("callbacks").toString())
			.isEqualTo("{\"0\":[0,\"responseCallback\"],\"1\":[0,\"withArgs\",1]}");
		JsonNode envelope = heartbeat.get("arguments").get(0);
		assertThat(envelope.propertyNames()).containsExactly("kite", "authentication", "responseCallback", "withArgs");
		assertThat(envelope.get("authentication").isNull()).isTrue();
		assertThat(envelope.get("kite").get("name").stringValue()).isEqualTo("kontrol");
		assertThat(envelope.get("kite").get("username").stringValue()).isEqualTo("kontrol");
		assertThat(envelope.get("withArgs").toString()).isEqualTo("[10,\"[Function]\"]");
	}

	@Test
	void refusesOtherAuthenticationTypes() {
		TestPeer peer = this.fixture.connect(this.math);
		String token = this.fixture.kontrol.tokens()
			.token("/kontrol/production/kontrol", "alice", KontrolFixture.SELF, false);

		JsonNode response = peer.call("register", TestPeer.token(token), Map.of("url", URL));

		assertError(response, "genericError", "Unexpected authentication type: token");
		assertThat(this.fixture.store.findById(this.math.id())).isEmpty();
	}

	@Test
	void refusesAnEmptyUrl() {
		TestPeer peer = this.fixture.connect(this.math);
		JsonNode response = peer.call("register", kiteKey(this.fixture.kontrol.issueKiteKey("alice")),
				Map.of("url", ""));
		assertError(response, "genericError", "empty url");
	}

	@Test
	void refusesIncompleteIdentities() {
		Kite noRegion = new Kite("math", "x", UUID.randomUUID().toString(), "production", "", "1.0.0", "h");
		JsonNode response = this.fixture.connect(noRegion)
			.call("register", kiteKey(this.fixture.kontrol.issueKiteKey("alice")), Map.of("url", URL));
		assertError(response, "genericError", "Empty Kite field: region");

		Kite slash = new Kite("math", "x", UUID.randomUUID().toString(), "production", "eu", "1.0.0", "a/b");
		response = this.fixture.connect(slash)
			.call("register", kiteKey(this.fixture.kontrol.issueKiteKey("alice")), Map.of("url", URL));
		assertError(response, "genericError", "Field \"hostname\" must not contain '/'");
		assertThat(this.fixture.store.findById(noRegion.id())).isEmpty();
		assertThat(this.fixture.store.findById(slash.id())).isEmpty();
	}

	@Test
	void refusesAKiteKeyOfAnUnknownPair() {
		KontrolTokens stranger = new KontrolTokens("kontrol", Duration.ofHours(48), Duration.ofMinutes(5),
				this.fixture.scheduler.getClock());
		String key = stranger.kiteKey("alice", KontrolFixture.OTHER, "");
		JsonNode response = this.fixture.connect(this.math).call("register", kiteKey(key), Map.of("url", URL));
		assertError(response, "authenticationError", "kiteKey: kontrol key is not trusted");
	}

	@Test
	void reKeysACallerWhoseKiteKeyNamesADeletedPair() {
		this.fixture.keyPairs.add(KontrolFixture.OTHER);
		String oldKey = this.fixture.kontrol.tokens().kiteKey("bob", KontrolFixture.OTHER, "http://old/kite");
		this.fixture.keyPairs.delete(KontrolFixture.OTHER.id());

		JsonNode result = this.fixture.connect(this.math)
			.call("register", kiteKey(oldKey), Map.of("url", URL))
			.get("result");

		assertThat(result.get("publicKey").stringValue()).isEqualTo(KontrolFixture.SELF.publicKey());
		String newKey = result.get("kiteKey").stringValue();
		GoJwt before = GoJwt.parse(oldKey);
		GoJwt after = GoJwt.parse(newKey);
		assertThat(after.sub).isEqualTo("bob");
		assertThat(after.jti).isEqualTo(before.jti);
		assertThat(after.iat).isEqualTo(before.iat);
		assertThat(after.kontrolUrl).isEqualTo("http://old/kite");
		assertThat(after.kontrolKey).isEqualTo(KontrolFixture.SELF.publicKey());
		// A kite that trusts only the new key accepts its new kite key.
		KiteKeyAuthenticationProvider verifier = new KiteKeyAuthenticationProvider(
				KontrolFixture.SELF.publicKey()::equals, KiteAuthoritiesConverter.byAuthType(),
				this.fixture.scheduler.getClock(), 10);
		Authentication verified = verifier
			.authenticate(KiteAuthenticationToken.unauthenticated("kiteKey", newKey, this.math));
		assertThat(verified.getName()).isEqualTo("bob");
		assertThat(this.fixture.store.findById(this.math.id()).orElseThrow().keyId())
			.isEqualTo(KontrolFixture.SELF.id());
	}

	@Test
	void aValidPairIsUsedAsItIsAndNothingIsAddedToTheResult() {
		this.fixture.keyPairs.add(KontrolFixture.OTHER);
		String key = this.fixture.kontrol.tokens().kiteKey("bob", KontrolFixture.OTHER, "");

		JsonNode result = this.fixture.connect(this.math)
			.call("register", kiteKey(key), Map.of("url", URL))
			.get("result");

		assertThat(result.has("publicKey")).isFalse();
		assertThat(result.has("kiteKey")).isFalse();
		assertThat(this.fixture.store.findById(this.math.id()).orElseThrow().keyId())
			.isEqualTo(KontrolFixture.OTHER.id());
	}

	@Test
	void pingsRefreshTheRecordAtOnceThenAtMostEveryUpdateInterval() {
		TestPeer peer = register(this.fixture.connect(this.math));
		long ping = pingId(peer);
		Instant registered = updatedAt();

		this.fixture.advance(Duration.ofSeconds(5));
		peer.invoke(ping);
		assertThat(updatedAt()).isEqualTo(registered.plusSeconds(5));

		for (int i = 1; i <= 5; i++) {
			this.fixture.advance(Duration.ofSeconds(10));
			peer.invoke(ping);
			assertThat(updatedAt()).isEqualTo(registered.plusSeconds(5)); // within 60 s
		}
		this.fixture.advance(Duration.ofSeconds(10));
		peer.invoke(ping); // 65 s: 60 s after the last refresh
		assertThat(updatedAt()).isEqualTo(registered.plusSeconds(65));
		assertThat(this.fixture.kontrol.isHeartbeatActive(this.math.id())).isTrue();
	}

	@Test
	void aSilentKiteIsLeftToExpireAndComesBackWhenItPingsAgain() {
		this.fixture.kontrol.start();
		TestPeer peer = register(this.fixture.connect(this.math));
		long ping = pingId(peer);

		this.fixture.advance(Duration.ofSeconds(29));
		assertThat(this.fixture.kontrol.isHeartbeatActive(this.math.id())).isTrue();
		this.fixture.advance(Duration.ofSeconds(1));
		assertThat(this.fixture.kontrol.isHeartbeatActive(this.math.id())).isFalse();
		assertThat(this.fixture.store.findById(this.math.id())).isPresent();

		this.fixture.advance(Duration.ofSeconds(90)); // the cleaner runs at 120 s
		assertThat(this.fixture.store.findById(this.math.id())).isEmpty();

		peer.invoke(ping);
		assertThat(this.fixture.store.findById(this.math.id())).isPresent();
		assertThat(this.fixture.kontrol.isHeartbeatActive(this.math.id())).isTrue();
	}

	@Test
	void theCleanerKeepsRecordsThatAreRefreshed() {
		this.fixture.kontrol.start();
		TestPeer peer = register(this.fixture.connect(this.math));
		long ping = pingId(peer);
		for (int i = 0; i < 30; i++) {
			this.fixture.advance(Duration.ofSeconds(10));
			peer.invoke(ping);
		}
		assertThat(this.fixture.store.findById(this.math.id())).isPresent();
	}

	@Test
	void aClosedConnectionDeletesItsRegistrationAtOnce() {
		TestPeer peer = register(this.fixture.connect(this.math));
		peer.close();
		assertThat(this.fixture.store.findById(this.math.id())).isEmpty();
		assertThat(this.fixture.kontrol.isHeartbeatActive(this.math.id())).isFalse();
	}

	@Test
	void aClosedConnectionLeavesTheRecordToExpireWhenConfiguredLikeGo() {
		KontrolFixture goLike = new KontrolFixture(true, null);
		TestPeer peer = goLike.connect(this.math);
		peer.call("register", kiteKey(goLike.kontrol.issueKiteKey("alice")), Map.of("url", URL));
		peer.close();
		assertThat(goLike.store.findById(this.math.id())).isPresent();
	}

	@Test
	void anOldConnectionClosingAfterAReRegistrationDeletesNothing() {
		TestPeer old = register(this.fixture.connect(this.math));
		TestPeer reconnected = register(this.fixture.connect(this.math));
		old.close();
		assertThat(this.fixture.store.findById(this.math.id())).isPresent();
		reconnected.close();
		assertThat(this.fixture.store.findById(this.math.id())).isEmpty();
	}

	private TestPeer register(TestPeer peer) {
		JsonNode response = peer.call("register", kiteKey(this.fixture.kontrol.issueKiteKey("alice")),
				Map.of("url", URL));
		assertThat(response.get("error").isNull()).as(response.toString()).isTrue();
		return peer;
	}

	private static long pingId(TestPeer peer) {
		List<JsonNode> heartbeats = peer.methodCalls("kite.heartbeat");
		return TestPeer.callbackAt(heartbeats.get(heartbeats.size() - 1), 0, "withArgs", 1);
	}

	private Instant updatedAt() {
		return this.fixture.store.findById(this.math.id()).orElseThrow().updatedAt();
	}

	static void assertError(JsonNode response, String type, String message) {
		JsonNode error = response.get("error");
		assertThat(error).as(response.toString()).isNotNull();
		assertThat(error.isNull()).as(response.toString()).isFalse();
		assertThat(error.get("type").stringValue()).isEqualTo(type);
		assertThat(error.get("message").stringValue()).isEqualTo(message);
	}

}
