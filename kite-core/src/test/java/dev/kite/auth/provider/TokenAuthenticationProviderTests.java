package dev.kite.auth.provider;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;
import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.auth.KiteAuthoritiesConverter;
import dev.kite.auth.TestKeys;
import dev.kite.auth.provider.TokenAuthenticationProvider;
import dev.kite.auth.trust.KontrolTrust;
import dev.kite.protocol.Kite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;

import static dev.kite.auth.TestKeys.KONTROL;
import static dev.kite.auth.TestKeys.NOW;
import static dev.kite.auth.TestKeys.OTHER;
import static dev.kite.auth.TestKeys.claims;
import static dev.kite.auth.TestKeys.rsaJwt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TokenAuthenticationProviderTests {

	private static final Kite LOCAL = new Kite("math", "devrim", "0d0a3c4e-0000-4000-8000-000000000001", "production",
			"eu", "1.0.0", "host1");

	private static final Kite CALLER = new Kite("client", "claimed-name", "0d0a3c4e-0000-4000-8000-000000000002",
			"production", "eu", "1.0.0", "host2");

	private final TestKeys.MutableClock clock = new TestKeys.MutableClock(NOW);

	private final AtomicReference<KontrolTrust> trust = new AtomicReference<>(
			KontrolTrust.of("kontrol", List.of(TestKeys.pem(KONTROL.getPublic()))));

	private final AtomicReference<Kite> local = new AtomicReference<>(LOCAL);

	private final TokenAuthenticationProvider provider = new TokenAuthenticationProvider(this.local::get,
			this.trust::get, KiteAuthoritiesConverter.byAuthType(), this.clock, 100);

	/** What Kontrol issues: iat = nbf = now - 5 min, exp = now + 48 h + 5 min. */
	private static Map<String, Object> tokenClaims(String aud) {
		return claims("aud", aud, "exp", NOW + 48 * 3600 + 300, "jti", "e0c1a2b3-0000-4000-8000-000000000000", "iat",
				NOW - 300, "iss", "kontrol", "nbf", NOW - 300, "sub", "alice");
	}

	private static String token(Map<String, Object> claims) {
		return rsaJwt(JWSAlgorithm.RS256, KONTROL, claims);
	}

	private Authentication authenticate(String key) {
		return this.provider.authenticate(KiteAuthenticationToken.unauthenticated("token", key, CALLER));
	}

	private void assertRefused(String key, String message) {
		assertThatExceptionOfType(AuthenticationException.class).isThrownBy(() -> authenticate(key))
			.withMessage(message);
	}

	// --- accepted

	@Test
	void acceptsKontrolIssuedToken() {
		Authentication result = authenticate(token(tokenClaims("/devrim/production/math")));
		assertThat(result).isInstanceOf(KiteAuthenticationToken.class);
		assertThat(result.isAuthenticated()).isTrue();
		assertThat(result.getName()).isEqualTo("alice");
		KiteAuthenticationToken verified = (KiteAuthenticationToken) result;
		assertThat(verified.getAuthType()).isEqualTo("token");
		assertThat(verified.getCaller().username()).isEqualTo("alice");
		assertThat(verified.getCaller().name()).isEqualTo("client");
		assertThat(result.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactly("KITE_AUTH_TOKEN");
	}

	@Test
	void acceptsRootAudience() {
		assertThat(authenticate(token(tokenClaims("/"))).getName()).isEqualTo("alice");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/devrim", "/devrim/production", "/devrim//math", "/devrim/production/math/9.9.9/us/x/y" })
	void emptyEnvironmentAndNameAreWildcardsAndTheRestIsIgnored(String aud) {
		assertThat(authenticate(token(tokenClaims(aud))).getName()).isEqualTo("alice");
	}

	@Test
	void acceptsRs384AndRs512() {
		assertThat(authenticate(rsaJwt(JWSAlgorithm.RS384, KONTROL, tokenClaims("/"))).getName()).isEqualTo("alice");
		assertThat(authenticate(rsaJwt(JWSAlgorithm.RS512, KONTROL, tokenClaims("/"))).getName()).isEqualTo("alice");
	}

	@Test
	void acceptsExpEqualToNowAndTokensWithoutTimeClaims() {
		assertThat(authenticate(token(claims("aud", "/", "exp", NOW, "iss", "kontrol", "sub", "alice"))).getName())
			.isEqualTo("alice");
		assertThat(authenticate(token(claims("aud", "/", "iss", "kontrol", "sub", "bob"))).getName()).isEqualTo("bob");
	}

	@Test
	void acceptsTokenSignedByAnyConfiguredKey() {
		this.trust.set(KontrolTrust.of("kontrol",
				List.of(TestKeys.pem(OTHER.getPublic()), TestKeys.pem(KONTROL.getPublic()))));
		assertThat(authenticate(token(tokenClaims("/"))).getName()).isEqualTo("alice");
	}

	@Test
	void ignoresOtherAuthTypes() {
		assertThat(this.provider
			.authenticate(KiteAuthenticationToken.unauthenticated("kiteKey", token(tokenClaims("/")), CALLER)))
			.isNull();
		assertThat(this.provider.supports(KiteAuthenticationToken.class)).isTrue();
	}

	// --- refused: algorithm

	@Test
	void refusesAlgNone() {
		assertRefused(TestKeys.noneJwt(tokenClaims("/")), "invalid signing method");
	}

	@Test
	void refusesHs256KeyedWithThePublicKey() {
		String pem = TestKeys.pem(KONTROL.getPublic());
		assertRefused(TestKeys.hmacJwt(pem.getBytes(StandardCharsets.US_ASCII), tokenClaims("/")),
				"invalid signing method");
		assertRefused(TestKeys.hmacJwt(KONTROL.getPublic().getEncoded(), tokenClaims("/")), "invalid signing method");
	}

	@Test
	void refusesRsaPssEvenWithKontrolsKey() {
		assertRefused(rsaJwt(JWSAlgorithm.PS256, KONTROL, tokenClaims("/")), "invalid signing method");
	}

	// --- refused: signature (reported as expired on purpose)

	@Test
	void refusesTokenSignedByUntrustedKeyAsExpired() {
		assertThatExceptionOfType(CredentialsExpiredException.class)
			.isThrownBy(() -> authenticate(rsaJwt(JWSAlgorithm.RS256, OTHER, tokenClaims("/"))))
			.withMessage("token is expired");
	}

	@Test
	void refusesTamperedPayloadAsExpired() {
		String original = token(tokenClaims("/devrim/production/math"));
		Map<String, Object> tampered = tokenClaims("/devrim/production/math");
		tampered.put("sub", "root");
		assertRefused(TestKeys.withPayload(original, tampered), "token is expired");
	}

	@Test
	void refusesMangledSignatureAsExpired() {
		String original = token(tokenClaims("/"));
		assertRefused(original.substring(0, original.lastIndexOf('.') + 1) + "!!", "token is expired");
		assertRefused(original.substring(0, original.lastIndexOf('.') + 1), "token is expired");
	}

	@Test
	void badSignatureWinsOverTimeErrors() {
		Map<String, Object> expired = tokenClaims("/");
		expired.put("exp", NOW - 10);
		assertRefused(rsaJwt(JWSAlgorithm.RS256, OTHER, expired), "token is expired");
	}

	@Test
	void oldTokensAreRefusedAfterKeyRotation() {
		String key = token(tokenClaims("/"));
		assertThat(authenticate(key).getName()).isEqualTo("alice");
		this.trust.set(KontrolTrust.of("kontrol", List.of(TestKeys.pem(OTHER.getPublic()))));
		assertRefused(key, "token is expired");
	}

	// --- refused: time claims

	@Test
	void refusesExpiredToken() {
		Map<String, Object> claims = tokenClaims("/");
		claims.put("exp", NOW - 3600);
		assertThatExceptionOfType(CredentialsExpiredException.class).isThrownBy(() -> authenticate(token(claims)))
			.withMessage("token is expired by 1h0m0s");
		claims.put("exp", NOW - 1);
		assertRefused(token(claims), "token is expired by 1s");
		claims.put("exp", NOW - 90);
		assertRefused(token(claims), "token is expired by 1m30s");
	}

	@Test
	void extremeExpiryValuesBehaveAsInGo() {
		Map<String, Object> claims = tokenClaims("/");
		claims.put("exp", Long.MAX_VALUE);
		assertThat(authenticate(token(claims)).getName()).isEqualTo("alice");
		assertThat(authenticate(token(claims)).getName()).isEqualTo("alice");
		claims.put("exp", -5L);
		assertRefused(token(claims),
				"token is expired by 472222h13m25s" /* NOW + 5 seconds */);
		claims.put("exp", Long.MIN_VALUE);
		assertRefused(token(claims), "token is expired by 2562047h47m16.854775807s");
	}

	@Test
	void refusesTokenNotValidYet() {
		Map<String, Object> claims = tokenClaims("/");
		claims.put("nbf", NOW + 1);
		claims.remove("iat");
		assertRefused(token(claims), "token is not valid yet");
	}

	@Test
	void refusesTokenIssuedInTheFuture() {
		Map<String, Object> claims = tokenClaims("/");
		claims.put("iat", NOW + 60);
		claims.remove("nbf");
		assertRefused(token(claims), "Token used before issued");
	}

	@Test
	void lastFailingTimeClaimNamesTheError() {
		Map<String, Object> claims = tokenClaims("/");
		claims.put("exp", NOW - 10);
		claims.put("iat", NOW + 10);
		claims.put("nbf", NOW + 10);
		assertRefused(token(claims), "token is not valid yet");
	}

	@Test
	void refusesNonIntegerTimeClaims() {
		Map<String, Object> claims = tokenClaims("/");
		claims.put("exp", "tomorrow");
		assertRefused(token(claims), "json: cannot unmarshal string into Go struct field KiteClaims.exp of type int64");
	}

	// --- refused: claims

	@Test
	void refusesWrongIssuer() {
		Map<String, Object> claims = tokenClaims("/");
		claims.put("iss", "mallory");
		assertRefused(token(claims), "issuer is not trusted: mallory");
		claims.remove("iss");
		assertRefused(token(claims), "issuer is not trusted: ");
	}

	@Test
	void refusesEmptyOrMissingSubject() {
		Map<String, Object> claims = tokenClaims("/");
		claims.put("sub", "");
		assertRefused(token(claims), "token has no username");
		claims.remove("sub");
		assertRefused(token(claims), "token has no username");
	}

	@Test
	void refusesEmptyOrMissingAudience() {
		Map<String, Object> claims = tokenClaims("/");
		claims.put("aud", "");
		assertRefused(token(claims), "token has no audience");
		claims.remove("aud");
		assertRefused(token(claims), "token has no audience");
	}

	@Test
	void refusesArrayAudienceAsJwtGoV3Would() {
		Map<String, Object> claims = tokenClaims("/");
		claims.put("aud", List.of("/devrim/production/math"));
		assertRefused(token(claims), "json: cannot unmarshal array into Go struct field KiteClaims.aud of type string");
	}

	@Test
	void refusesAudienceForAnotherUsername() {
		assertRefused(token(tokenClaims("/alice/production/math")),
				"audience: username \"alice\" not allowed (/alice/production/math)");
		assertRefused(token(tokenClaims("//production/math")),
				"audience: username \"\" not allowed (//production/math)");
	}

	@Test
	void refusesAudienceForAnotherEnvironment() {
		assertRefused(token(tokenClaims("/devrim/staging/math")),
				"audience: environment \"staging\" not allowed (/devrim/staging/math)");
	}

	@Test
	void refusesAudienceForAnotherKite() {
		assertRefused(token(tokenClaims("/devrim/production/calc")),
				"audience: kite \"calc\" not allowed (/devrim/production/calc)");
	}

	@Test
	void refusesAudienceThatIsNotAKitePath() {
		assertRefused(token(tokenClaims("devrim/production/math")),
				"invalid audience: invalid kite string (devrim/production/math)");
	}

	// --- refused: garbage

	@ParameterizedTest
	@ValueSource(strings = { "", "garbage", "a.b", "a.b.c.d", "....", "eyJhbGciOiJSUzI1NiJ9" })
	void refusesWrongNumberOfSegments(String key) {
		assertRefused(key, "token contains an invalid number of segments");
	}

	@Test
	void refusesGarbageSegments() {
		assertRefused("Bearer eyJ.eyJ.sig", "tokenstring should not contain 'bearer '");
		assertRefused("!!!.e30.e30", "illegal base64 data at input byte 0");
		assertRefused("e30.ab$c.e30", "illegal base64 data at input byte 2");
		assertRefused("e30.e30.e30", "signing method (alg) is unspecified.");
		assertRefused(Base64URL.encode("{\"alg\":\"XX999\"}") + ".e30.e30", "signing method (alg) is unavailable.");
		assertRefused(Base64URL.encode("{\"alg\":7}") + ".e30.e30", "signing method (alg) is unspecified.");
		assertRefused(Base64URL.encode("not json") + ".e30.e30", "token header is not a valid JSON object");
		assertRefused("e30." + Base64URL.encode("[1,2]") + ".e30", "token payload is not a valid JSON object");
	}

	@Test
	void refusesHugeToken() {
		String huge = "a".repeat(1024 * 1024);
		assertRefused(huge, "token is too large");
		Map<String, Object> claims = tokenClaims("/");
		claims.put("padding", "x".repeat(1024 * 1024));
		assertRefused(token(claims), "token is too large");
	}

	// --- configuration

	@Test
	void failsLikeGoWhenNoKontrolKeyIsConfigured() {
		this.trust.set(new KontrolTrust("kontrol", List.of()));
		assertThatIllegalStateException().isThrownBy(() -> authenticate(token(tokenClaims("/"))))
			.withMessage("kontrol key is not set in config");
	}

	// --- cache

	@Test
	void cachedTokenIsRefusedOnceItExpires() {
		String key = token(claims("aud", "/", "exp", NOW + 60, "iat", NOW - 300, "iss", "kontrol", "sub", "alice"));
		assertThat(authenticate(key).getName()).isEqualTo("alice");
		this.clock.advanceSeconds(60);
		assertThat(authenticate(key).getName()).isEqualTo("alice");
		this.clock.advanceSeconds(1);
		assertThatExceptionOfType(CredentialsExpiredException.class).isThrownBy(() -> authenticate(key))
			.withMessage("token is expired by 1s");
	}

	@Test
	void cachedVerificationDoesNotOutliveAnIdentityChange() {
		String key = token(tokenClaims("/devrim/production/math"));
		assertThat(authenticate(key).getName()).isEqualTo("alice");
		this.local.set(new Kite("calc", "devrim", LOCAL.id(), "production", "eu", "1.0.0", "host1"));
		assertRefused(key, "audience: kite \"math\" not allowed (/devrim/production/math)");
	}

	@Test
	void cachedVerificationDoesNotOutliveAnIssuerChange() {
		String key = token(tokenClaims("/"));
		assertThat(authenticate(key).getName()).isEqualTo("alice");
		this.trust.set(KontrolTrust.of("kontrol2", List.of(TestKeys.pem(KONTROL.getPublic()))));
		assertRefused(key, "issuer is not trusted: kontrol");
	}

	@Test
	void cacheHitStillRebindsTheCallerIdentity() {
		String key = token(tokenClaims("/"));
		authenticate(key);
		Kite otherCaller = new Kite("other", "x", "id-3", "e", "r", "1.0.0", "h");
		KiteAuthenticationToken result = (KiteAuthenticationToken) this.provider
			.authenticate(KiteAuthenticationToken.unauthenticated("token", key, otherCaller));
		assertThat(result.getCaller()).isEqualTo(otherCaller.withUsername("alice"));
	}

	@Test
	void cacheHitForTheSameCallerReusesTheFinishedAuthentication() {
		java.util.concurrent.atomic.AtomicInteger conversions = new java.util.concurrent.atomic.AtomicInteger();
		TokenAuthenticationProvider counting = new TokenAuthenticationProvider(this.local::get, this.trust::get,
				(credentials) -> {
					conversions.incrementAndGet();
					return KiteAuthoritiesConverter.byAuthType().convert(credentials);
				}, this.clock, 100);
		String key = token(tokenClaims("/"));
		Authentication first = counting.authenticate(KiteAuthenticationToken.unauthenticated("token", key, CALLER));
		Authentication second = counting.authenticate(KiteAuthenticationToken.unauthenticated("token", key, CALLER));
		assertThat(second).isSameAs(first);
		assertThat(conversions).hasValue(1);
		Kite otherCaller = new Kite("other", "x", "id-3", "e", "r", "1.0.0", "h");
		KiteAuthenticationToken other = (KiteAuthenticationToken) counting
			.authenticate(KiteAuthenticationToken.unauthenticated("token", key, otherCaller));
		assertThat(other.getCaller()).isEqualTo(otherCaller.withUsername("alice"));
		assertThat(conversions).hasValue(2);
	}

	@Test
	void connectionsClaimingDifferentIdentitiesWithOneTokenEachKeepTheirFinishedAuthentication() {
		java.util.concurrent.atomic.AtomicInteger conversions = new java.util.concurrent.atomic.AtomicInteger();
		TokenAuthenticationProvider counting = new TokenAuthenticationProvider(this.local::get, this.trust::get,
				(credentials) -> {
					conversions.incrementAndGet();
					return KiteAuthoritiesConverter.byAuthType().convert(credentials);
				}, this.clock, 100);
		String key = token(tokenClaims("/"));
		Kite otherCaller = new Kite("other", "x", "id-3", "e", "r", "1.0.0", "h");
		for (int i = 0; i < 3; i++) {
			counting.authenticate(KiteAuthenticationToken.unauthenticated("token", key, CALLER));
			counting.authenticate(KiteAuthenticationToken.unauthenticated("token", key, otherCaller));
		}
		// One token, authorities and identity per caller, not one per call.
		assertThat(conversions).hasValue(2);
	}

	@Test
	void finishedAuthenticationSomeoneChangedIsNotHandedOutAgain() {
		String key = token(tokenClaims("/"));
		KiteAuthenticationToken first = (KiteAuthenticationToken) authenticate(key);
		first.setDetails("changed by an interceptor");
		Authentication second = authenticate(key);
		assertThat(second).isNotSameAs(first);
		assertThat(second.getDetails()).isNull();
		((KiteAuthenticationToken) second).setAuthenticated(false);
		Authentication third = authenticate(key);
		assertThat(third).isNotSameAs(second);
		assertThat(third.isAuthenticated()).isTrue();
	}

	@Test
	void reusedAuthenticationStillExpiresWithTheToken() {
		String key = token(claims("aud", "/", "exp", NOW + 60, "iat", NOW - 300, "iss", "kontrol", "sub", "alice"));
		Authentication first = authenticate(key);
		this.clock.advanceSeconds(60);
		assertThat(authenticate(key)).isSameAs(first);
		this.clock.advanceSeconds(1);
		assertThatExceptionOfType(CredentialsExpiredException.class).isThrownBy(() -> authenticate(key))
			.withMessage("token is expired by 1s");
	}

	@Test
	void concurrentCallersShareTheBoundedCacheSafely() throws Exception {
		TokenAuthenticationProvider small = new TokenAuthenticationProvider(this.local::get, this.trust::get,
				KiteAuthoritiesConverter.byAuthType(), this.clock, 8);
		List<String> keys = new java.util.ArrayList<>();
		for (int i = 0; i < 20; i++) {
			Map<String, Object> claims = tokenClaims("/");
			claims.put("sub", "user" + i);
			keys.add(token(claims));
		}
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
		try {
			List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
			for (int t = 0; t < 4; t++) {
				int offset = t;
				results.add(pool.submit(() -> {
					int ok = 0;
					for (int n = 0; n < 500; n++) {
						int i = (n * 7 + offset) % keys.size();
						Authentication result = small
							.authenticate(KiteAuthenticationToken.unauthenticated("token", keys.get(i), CALLER));
						if (result.getName().equals("user" + i)) {
							ok++;
						}
					}
					return ok;
				}));
			}
			for (java.util.concurrent.Future<Integer> result : results) {
				assertThat(result.get()).isEqualTo(500);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	// --- through the manager

	@Test
	void managerPrefixesTheAuthTypeAsGoDoes() {
		KiteAuthenticationManager manager = new KiteAuthenticationManager(List.of(this.provider));
		assertThatExceptionOfType(BadCredentialsException.class)
			.isThrownBy(() -> manager.authenticate(KiteAuthenticationToken.unauthenticated("token",
					rsaJwt(JWSAlgorithm.RS256, OTHER, tokenClaims("/")), CALLER)))
			.withMessage("token: token is expired");
	}

	@Test
	void messagesNeverContainTheToken() {
		Map<String, Object> claims = tokenClaims("/elsewhere/production/math");
		String key = token(claims);
		assertThatExceptionOfType(AuthenticationException.class).isThrownBy(() -> authenticate(key))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(key.split("\\.")[2]));
	}

}
