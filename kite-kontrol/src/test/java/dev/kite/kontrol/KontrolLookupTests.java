package dev.kite.kontrol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.auth.KiteAuthoritiesConverter;
import dev.kite.auth.jwt.GoJwt;
import dev.kite.auth.provider.KiteKeyAuthenticationProvider;
import dev.kite.auth.provider.TokenAuthenticationProvider;
import dev.kite.auth.trust.KontrolTrust;
import dev.kite.kontrol.store.KiteStoreEvent;
import dev.kite.protocol.GetKitesArgs;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KontrolQuery;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.Authentication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static dev.kite.kontrol.KontrolRegisterTests.assertError;
import static dev.kite.kontrol.TestPeer.kiteKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code getKites}, {@code getToken}, {@code getKey}, {@code registerMachine} and
 * watchers (PROTOCOL §6.4–6.7, §6.13).
 */
class KontrolLookupTests {

	private final KontrolFixture fixture = new KontrolFixture();

	private final Kite math1 = KontrolFixture.kite("alice", "math", "1.0.0", UUID.randomUUID().toString());

	private final Kite math2 = KontrolFixture.kite("alice", "math", "2.0.0", UUID.randomUUID().toString());

	private final TestPeer bob = this.fixture
		.connect(KontrolFixture.kite("bob", "cli", "1.0.0", UUID.randomUUID().toString()));

	@Test
	void getKitesReturnsEveryMatchWithATokenForTheRequester() {
		register(this.math1);
		register(this.math2);

		JsonNode result = getKites(new KontrolQuery("alice", "production", "math", "", "", "", ""));

		assertThat(result.get("kites")).hasSize(2);
		assertThat(result.has("watcherID")).isFalse();
		List<String> tokens = new ArrayList<>();
		for (JsonNode kite : result.get("kites")) {
			assertThat(kite.propertyNames()).containsExactly("kite", "url", "keyId", "token");
			assertThat(kite.get("keyId").stringValue()).isEqualTo(KontrolFixture.SELF.id());
			tokens.add(kite.get("token").stringValue());
			GoJwt token = GoJwt.parse(kite.get("token").stringValue());
			assertThat(token.aud).isEqualTo("/alice/production/math");
			assertThat(token.sub).isEqualTo("bob");
			assertThat(token.iss).isEqualTo("kontrol");
			long now = this.fixture.scheduler.now().getEpochSecond();
			assertThat(token.iat).isEqualTo(now - 300);
			assertThat(token.nbf).isEqualTo(now - 300);
			assertThat(token.exp).isEqualTo(now + 48 * 3600 + 300);
		}
		// one pair, one audience, one requester: one cached token
		assertThat(tokens.get(0)).isEqualTo(tokens.get(1));
		// and the target kite accepts it
		Authentication verified = tokenVerifier(this.math1)
			.authenticate(KiteAuthenticationToken.unauthenticated("token", tokens.get(0), this.bob.kite));
		assertThat(verified.getName()).isEqualTo("bob");
	}

	@Test
	void getKitesFiltersByVersionConstraintAndPrefix() {
		register(this.math1);
		register(this.math2);

		JsonNode result = getKites(new KontrolQuery("alice", "production", "math", ">= 1.5, < 3", "", "", ""));
		assertThat(result.get("kites")).hasSize(1);
		assertThat(result.get("kites").get(0).get("kite").get("id").stringValue()).isEqualTo(this.math2.id());

		result = getKites(new KontrolQuery("alice", "production", "math", "~> 1.0", "eu", "nowhere", ""));
		assertThat(result.get("kites")).isEmpty();
	}

	@Test
	void getKitesAnswersGoLikeErrors() {
		assertError(call("getKites", Map.of("query", new KontrolQuery("", "", "", "", "", "", ""))), "genericError",
				"all query fields are empty");
		assertError(call("getKites", new GetKitesArgs(null, null, null)), "genericError",
				"runtime error: invalid memory address or nil pointer dereference");
		assertError(call("getKites", Map.of("query", new KontrolQuery("alice", "", "", "> x", "", "", ""))),
				"genericError", "Malformed constraint: > x");
	}

	@Test
	void getKitesWithoutMatchesIsAnEmptyList() {
		JsonNode response = call("getKites", Map.of("query", new KontrolQuery("nobody", "", "", "", "", "", "")));
		assertThat(response.toString()).isEqualTo("{\"error\":null,\"result\":{\"kites\":[]}}");
	}

	@Test
	void anIdOnlyQueryGetsTheRootAudience() {
		register(this.math1);
		JsonNode result = getKites(new KontrolQuery("", "", "", "", "", "", this.math1.id()));
		assertThat(result.get("kites")).hasSize(1);
		assertThat(GoJwt.parse(result.get("kites").get(0).get("token").stringValue()).aud).isEqualTo("/");
	}

	@Test
	void tokensOfADeletedPairAreSignedWithTheSelfPair() {
		this.fixture.keyPairs.add(KontrolFixture.OTHER);
		TestPeer peer = this.fixture.connect(this.math1);
		peer.call("register", kiteKey(this.fixture.kontrol.tokens().kiteKey("alice", KontrolFixture.OTHER, "")),
				Map.of("url", "http://math1/kite"));
		this.fixture.keyPairs.delete(KontrolFixture.OTHER.id());

		String token = getKites(KontrolQuery.of(this.math1)).get("kites").get(0).get("token").stringValue();

		assertThat(GoJwt.parse(token).verifyRsa(publicKey(KontrolFixture.SELF.publicKey()))).isNull();
	}

	@Test
	void getTokenNeedsExactlyOneMatch() {
		register(this.math1);
		register(this.math2);
		assertError(call("getToken", Map.of("username", "alice", "name", "math")), "genericError",
				"query matches more than one kite");
		assertError(call("getToken", Map.of("username", "carol")), "genericError", "no kites found");

		String token = call("getToken", Map.of("id", this.math1.id())).get("result").stringValue();
		assertThat(GoJwt.parse(token).aud).isEqualTo("/");
		assertThat(GoJwt.parse(token).sub).isEqualTo("bob");
		assertThat(tokenVerifier(this.math1)
			.authenticate(KiteAuthenticationToken.unauthenticated("token", token, this.bob.kite))).isNotNull();
	}

	@Test
	void getTokenIsCachedUnlessForced() {
		register(this.math1);
		String first = call("getToken", Map.of("id", this.math1.id())).get("result").stringValue();
		assertThat(call("getToken", Map.of("id", this.math1.id())).get("result").stringValue()).isEqualTo(first);

		Map<String, Object> forced = new LinkedHashMap<>(Map.of("id", this.math1.id(), "force", true));
		String renewed = call("getToken", forced).get("result").stringValue();
		assertThat(renewed).isNotEqualTo(first);
		assertThat(call("getToken", Map.of("id", this.math1.id())).get("result").stringValue()).isEqualTo(renewed);
	}

	@Test
	void getKeyAnswersTheKeyOrTheSelfKeyForADeletedOne() {
		assertThat(call("getKey", (Object) null).get("result").stringValue())
			.isEqualTo(KontrolFixture.SELF.publicKey());

		this.fixture.keyPairs.add(KontrolFixture.OTHER);
		TestPeer old = this.fixture.connect(this.math1);
		String oldKey = this.fixture.kontrol.tokens().kiteKey("alice", KontrolFixture.OTHER, "");
		assertThat(old.call("getKey", kiteKey(oldKey)).get("result").stringValue())
			.isEqualTo(KontrolFixture.OTHER.publicKey());
		this.fixture.keyPairs.delete(KontrolFixture.OTHER.id());
		assertThat(old.call("getKey", kiteKey(oldKey)).get("result").stringValue())
			.isEqualTo(KontrolFixture.SELF.publicKey());
	}

	@Test
	void getKeyNeedsAKiteKey() {
		String token = this.fixture.kontrol.tokens()
			.token("/kontrol/production/kontrol", "bob", KontrolFixture.SELF, false);
		assertError(this.bob.call("getKey", TestPeer.token(token)), "genericError",
				"Unexpected authentication type: token");
	}

	@Test
	void registerMachineIsRefusedWithoutAnAuthenticator() {
		JsonNode response = this.fixture.connect(this.math1).call("registerMachine", null, Map.of("authType", "x"));
		assertError(response, "genericError", "no valid authentication key found");
	}

	@Test
	void registerMachineIssuesAKiteKeyForWhomTheAuthenticatorNames() {
		List<String> seen = new ArrayList<>();
		KontrolFixture withMachines = new KontrolFixture((authType, invocation) -> {
			seen.add(authType);
			String claimed = invocation.request().caller().username();
			return claimed.equals("mallory") ? Optional.empty() : Optional.of(claimed);
		});

		JsonNode response = withMachines.connect(this.math1).call("registerMachine", null, Map.of("AuthType", "pw"));

		String key = response.get("result").stringValue();
		GoJwt jwt = GoJwt.parse(key);
		assertThat(jwt.sub).isEqualTo("alice");
		assertThat(jwt.iss).isEqualTo("kontrol");
		assertThat(jwt.kontrolUrl).isEqualTo("http://kontrol.example:6000/kite");
		assertThat(jwt.kontrolKey).isEqualTo(KontrolFixture.SELF.publicKey());
		assertThat(seen).containsExactly("pw");
		KiteKeyAuthenticationProvider kite = new KiteKeyAuthenticationProvider(KontrolFixture.SELF.publicKey()::equals,
				KiteAuthoritiesConverter.byAuthType(), withMachines.scheduler.getClock(), 10);
		assertThat(kite.authenticate(KiteAuthenticationToken.unauthenticated("kiteKey", key, this.math1)).getName())
			.isEqualTo("alice");

		JsonNode refused = withMachines.connect(this.math1.withUsername("mallory"))
			.call("registerMachine", null, Map.of("authType", "pw"));
		assertError(refused, "genericError", "cannot authenticate user");
	}

	@Test
	void aWatcherGetsRegistrationsAndDeregistrationsOfMatchingKites() {
		JsonNode result = watch(new KontrolQuery("alice", "production", "math", "", "", "", ""), 7);
		String watcherId = result.get("watcherID").stringValue();
		assertThat(result.get("kites")).isEmpty();
		assertThat(this.fixture.kontrol.watcherCount()).isEqualTo(1);

		TestPeer math = register(this.math1);
		register(KontrolFixture.kite("alice", "other", "1.0.0", UUID.randomUUID().toString()));
		this.fixture.advance(java.time.Duration.ZERO);
		math.close();
		this.fixture.advance(java.time.Duration.ZERO);

		List<JsonNode> events = this.bob.callsOf(7);
		assertThat(events).hasSize(2);
		JsonNode registered = events.get(0).get("arguments").get(0);
		assertThat(registered.propertyNames()).containsExactly("error", "result");
		assertThat(registered.get("error").isNull()).isTrue();
		assertThat(registered.get("result").get("action").stringValue()).isEqualTo("REGISTER");
		assertThat(registered.get("result").get("kite").get("id").stringValue()).isEqualTo(this.math1.id());
		assertThat(registered.get("result").get("url").stringValue()).isEqualTo("http://" + this.math1.id() + "/kite");
		assertThat(GoJwt.parse(registered.get("result").get("token").stringValue()).sub).isEqualTo("bob");
		JsonNode deregistered = events.get(1).get("arguments").get(0).get("result");
		assertThat(deregistered.get("action").stringValue()).isEqualTo("DEREGISTER");
		assertThat(deregistered.has("token")).isFalse();

		assertThat(call("cancelWatcher", watcherId).get("error").isNull()).isTrue();
		register(this.math2);
		this.fixture.advance(java.time.Duration.ZERO);
		assertThat(this.bob.callsOf(7)).hasSize(2);
		assertError(call("cancelWatcher", watcherId), "genericError", "Watcher not found");
	}

	@Test
	void watchersEndWithTheirConnection() {
		watch(new KontrolQuery("alice", "", "", "", "", "", ""), 3);
		assertThat(this.fixture.kontrol.watcherCount()).isEqualTo(1);
		this.bob.close();
		assertThat(this.fixture.kontrol.watcherCount()).isZero();
		List<KiteStoreEvent> seen = new ArrayList<>();
		this.fixture.store.subscribe(seen::add);
		register(this.math1);
		this.fixture.advance(java.time.Duration.ZERO);
		assertThat(seen).hasSize(1);
		assertThat(this.bob.callsOf(3)).isEmpty();
	}

	private JsonNode watch(KontrolQuery query, long callbackId) {
		ArrayNode args = this.fixture.mapper.createArrayNode();
		ObjectNode getKitesArgs = args.addObject();
		getKitesArgs.set("query", this.fixture.mapper.valueToTree(query));
		getKitesArgs.put("watchCallback", "[Function]");
		getKitesArgs.putNull("who");
		JsonNode response = this.bob.call("getKites", bobKey(), args, Map.of(callbackId, List.of(0, "watchCallback")));
		assertThat(response.get("error").isNull()).as(response.toString()).isTrue();
		return response.get("result");
	}

	private TestPeer register(Kite kite) {
		TestPeer peer = this.fixture.connect(kite);
		JsonNode response = peer.call("register", kiteKey(this.fixture.kontrol.issueKiteKey(kite.username())),
				Map.of("url", "http://" + kite.id() + "/kite"));
		assertThat(response.get("error").isNull()).as(response.toString()).isTrue();
		return peer;
	}

	private JsonNode getKites(KontrolQuery query) {
		JsonNode response = call("getKites", GetKitesArgs.of(query));
		assertThat(response.get("error").isNull()).as(response.toString()).isTrue();
		return response.get("result");
	}

	private JsonNode call(String method, Object argument) {
		return this.bob.call(method, bobKey(), argument);
	}

	private dev.kite.protocol.Auth bobKey() {
		return kiteKey(this.fixture.kontrol.issueKiteKey("bob"));
	}

	private TokenAuthenticationProvider tokenVerifier(Kite local) {
		KontrolTrust trust = KontrolTrust.of("kontrol", List.of(KontrolFixture.SELF.publicKey()));
		return new TokenAuthenticationProvider(() -> local, () -> trust, KiteAuthoritiesConverter.byAuthType(),
				this.fixture.scheduler.getClock(), 10);
	}

	private static java.security.interfaces.RSAPublicKey publicKey(String pem) {
		try {
			return dev.kite.auth.key.RsaPem.parsePublicKey(pem);
		}
		catch (dev.kite.auth.key.RsaPem.InvalidPemException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void malformedConstraintsAreRefusedBeforeWatching() {
		assertThatThrownBy(() -> watch(new KontrolQuery("alice", "", "", "<>", "", "", ""), 1))
			.isInstanceOf(AssertionError.class);
		assertThat(this.fixture.kontrol.watcherCount()).isZero();
	}

}
