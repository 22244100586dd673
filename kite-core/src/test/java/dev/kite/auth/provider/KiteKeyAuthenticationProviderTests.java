package dev.kite.auth.provider;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import com.nimbusds.jose.JWSAlgorithm;
import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.auth.KiteAuthoritiesConverter;
import dev.kite.auth.TestKeys;
import dev.kite.auth.provider.KiteKeyAuthenticationProvider;
import dev.kite.auth.trust.CachingKontrolKeyTrust;
import dev.kite.auth.trust.ConfiguredKontrolKeyTrust;
import dev.kite.protocol.Kite;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;

import static dev.kite.auth.TestKeys.KONTROL;
import static dev.kite.auth.TestKeys.NOW;
import static dev.kite.auth.TestKeys.OTHER;
import static dev.kite.auth.TestKeys.claims;
import static dev.kite.auth.TestKeys.pem;
import static dev.kite.auth.TestKeys.rsaJwt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class KiteKeyAuthenticationProviderTests {

	private static final Kite CALLER = new Kite("worker", "claimed", "7f1c2a3b-0000-4000-8000-000000000001",
			"production", "eu", "1.0.0", "host2");

	private final TestKeys.MutableClock clock = new TestKeys.MutableClock(NOW);

	private final Set<String> trusted = new CopyOnWriteArraySet<>(List.of(pem(KONTROL.getPublic())));

	private final KiteKeyAuthenticationProvider provider = new KiteKeyAuthenticationProvider(
			new ConfiguredKontrolKeyTrust(() -> this.trusted), KiteAuthoritiesConverter.byAuthType(), this.clock, 100);

	/** A kite key as Kontrol issues it (PROTOCOL §4.2). */
	private static Map<String, Object> kiteKeyClaims() {
		return claims("jti", "5b0c7f0e-2a4d-4f0a-9d7e-6c3b2a1f0e9d", "iat", NOW - 300, "iss", "kontrol", "sub",
				"devrim", "kontrolKey", pem(KONTROL.getPublic()), "kontrolURL", "http://kontrol.example.com:4000/kite");
	}

	private Authentication authenticate(String key) {
		return this.provider.authenticate(KiteAuthenticationToken.unauthenticated("kiteKey", key, CALLER));
	}

	private void assertRefused(String key, String message) {
		assertThatExceptionOfType(AuthenticationException.class).isThrownBy(() -> authenticate(key))
			.withMessage(message);
	}

	@Test
	void acceptsKontrolIssuedKiteKey() {
		Authentication result = authenticate(rsaJwt(JWSAlgorithm.RS256, KONTROL, kiteKeyClaims()));
		assertThat(result.isAuthenticated()).isTrue();
		assertThat(result.getName()).isEqualTo("devrim");
		assertThat(((KiteAuthenticationToken) result).getCaller()).isEqualTo(CALLER.withUsername("devrim"));
		assertThat(((KiteAuthenticationToken) result).getAuthType()).isEqualTo("kiteKey");
		assertThat(result.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactly("KITE_AUTH_KITEKEY");
	}

	@Test
	void cacheHitForTheSameCallerReusesTheFinishedAuthenticationWhileTheKeyIsTrusted() {
		String key = rsaJwt(JWSAlgorithm.RS256, KONTROL, kiteKeyClaims());
		Authentication first = authenticate(key);
		assertThat(authenticate(key)).isSameAs(first);
		Kite otherCaller = new Kite("other", "x", "id-3", "e", "r", "1.0.0", "h");
		KiteAuthenticationToken other = (KiteAuthenticationToken) this.provider
			.authenticate(KiteAuthenticationToken.unauthenticated("kiteKey", key, otherCaller));
		assertThat(other.getCaller()).isEqualTo(otherCaller.withUsername("devrim"));
		this.trusted.clear();
		assertRefused(key, "kontrol key is not trusted");
	}

	@Test
	void callersClaimingDifferentIdentitiesWithOneKeyEachKeepTheirFinishedAuthentication() {
		// The kites of one user share its kite key: their connections alternate.
		String key = rsaJwt(JWSAlgorithm.RS256, KONTROL, kiteKeyClaims());
		Kite otherCaller = new Kite("other", "x", "id-3", "e", "r", "1.0.0", "h");
		Authentication first = authenticate(key);
		Authentication other = this.provider
			.authenticate(KiteAuthenticationToken.unauthenticated("kiteKey", key, otherCaller));
		assertThat(authenticate(key)).isSameAs(first);
		assertThat(this.provider.authenticate(KiteAuthenticationToken.unauthenticated("kiteKey", key, otherCaller)))
			.isSameAs(other);
		assertThat(((KiteAuthenticationToken) other).getCaller()).isEqualTo(otherCaller.withUsername("devrim"));
	}

	@Test
	void finishedAuthenticationsPerKeyAreBounded() {
		String key = rsaJwt(JWSAlgorithm.RS256, KONTROL, kiteKeyClaims());
		KiteAuthTypeProvider.Finished finished = new KiteAuthTypeProvider.Finished();
		Authentication first = null;
		for (int i = 0; i <= KiteAuthTypeProvider.Finished.MAX_IDENTITIES; i++) {
			Kite caller = new Kite("worker", "claimed", "id-" + i, "production", "eu", "1.0.0", "host2");
			Authentication made = this.provider.authenticated(
					KiteAuthenticationToken.unauthenticated("kiteKey", key, caller), key, "devrim", Map.of(), finished);
			first = (first != null) ? first : made;
		}
		assertThat(finished.size()).isEqualTo(KiteAuthTypeProvider.Finished.MAX_IDENTITIES);
		// The least recent (id-0) was dropped: it gets a new token.
		Kite firstCaller = new Kite("worker", "claimed", "id-0", "production", "eu", "1.0.0", "host2");
		assertThat(this.provider.authenticated(KiteAuthenticationToken.unauthenticated("kiteKey", key, firstCaller),
				key, "devrim", Map.of(), finished))
			.isNotSameAs(first);
		assertThat(finished.size()).isEqualTo(KiteAuthTypeProvider.Finished.MAX_IDENTITIES);
	}

	@Test
	void aCachedKeyIsRefusedOnceExpiredByTheClock() {
		Map<String, Object> claims = kiteKeyClaims();
		claims.put("exp", NOW + 60);
		String key = rsaJwt(JWSAlgorithm.RS256, KONTROL, claims);
		Kite otherCaller = new Kite("other", "x", "id-3", "e", "r", "1.0.0", "h");
		authenticate(key);
		this.provider.authenticate(KiteAuthenticationToken.unauthenticated("kiteKey", key, otherCaller));
		this.clock.advanceSeconds(61);
		assertThatExceptionOfType(AuthenticationException.class).isThrownBy(() -> authenticate(key));
		assertThatExceptionOfType(AuthenticationException.class).isThrownBy(
				() -> this.provider.authenticate(KiteAuthenticationToken.unauthenticated("kiteKey", key, otherCaller)));
	}

	@Test
	void doesNotCheckIssuerOrAudience() {
		Map<String, Object> claims = kiteKeyClaims();
		claims.put("iss", "somebody-else");
		claims.put("aud", "/nobody");
		assertThat(authenticate(rsaJwt(JWSAlgorithm.RS256, KONTROL, claims)).getName()).isEqualTo("devrim");
	}

	@Test
	void acceptsAnyRsaMethodAsGoDoes() {
		assertThat(authenticate(rsaJwt(JWSAlgorithm.RS512, KONTROL, kiteKeyClaims())).getName()).isEqualTo("devrim");
		assertThat(authenticate(rsaJwt(JWSAlgorithm.PS256, KONTROL, kiteKeyClaims())).getName()).isEqualTo("devrim");
	}

	@Test
	void ignoresOtherAuthTypes() {
		assertThat(this.provider.authenticate(KiteAuthenticationToken.unauthenticated("token",
				rsaJwt(JWSAlgorithm.RS256, KONTROL, kiteKeyClaims()), CALLER)))
			.isNull();
	}

	@Test
	void refusesKiteKeyWithoutKontrolKey() {
		Map<String, Object> claims = kiteKeyClaims();
		claims.remove("kontrolKey");
		assertRefused(rsaJwt(JWSAlgorithm.RS256, KONTROL, claims), "no kontrol key found");
		claims.put("kontrolKey", "");
		assertRefused(rsaJwt(JWSAlgorithm.RS256, KONTROL, claims), "no kontrol key found");
	}

	@Test
	void refusesKiteKeyWhoseKontrolKeyIsNotTrusted() {
		Map<String, Object> claims = kiteKeyClaims();
		claims.put("kontrolKey", pem(OTHER.getPublic()));
		assertRefused(rsaJwt(JWSAlgorithm.RS256, OTHER, claims), "kontrol key is not trusted");
	}

	@Test
	void refusesKontrolKeyThatIsNotPem() {
		Map<String, Object> claims = kiteKeyClaims();
		claims.put("kontrolKey", "not a key");
		assertRefused(rsaJwt(JWSAlgorithm.RS256, KONTROL, claims),
				"Invalid Key: Key must be PEM encoded PKCS1 or PKCS8 private key");
	}

	@Test
	void refusesKontrolKeyThatIsNotRsa() throws Exception {
		KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
		ec.initialize(256);
		Map<String, Object> claims = kiteKeyClaims();
		claims.put("kontrolKey", pem(ec.generateKeyPair().getPublic()));
		assertRefused(rsaJwt(JWSAlgorithm.RS256, KONTROL, claims), "Key is not a valid RSA public key");
	}

	@Test
	void refusesKiteKeySignedByAnotherKeyThanTheTrustedEmbeddedOne() {
		assertRefused(rsaJwt(JWSAlgorithm.RS256, OTHER, kiteKeyClaims()), "crypto/rsa: verification error");
	}

	@Test
	void refusesTamperedKiteKey() {
		Map<String, Object> claims = kiteKeyClaims();
		String key = rsaJwt(JWSAlgorithm.RS256, KONTROL, claims);
		claims.put("sub", "root");
		assertRefused(TestKeys.withPayload(key, claims), "crypto/rsa: verification error");
	}

	@Test
	void refusesAlgNone() {
		assertRefused(TestKeys.noneJwt(kiteKeyClaims()), "'none' signature type is not allowed");
	}

	@Test
	void refusesHs256KeyedWithTheEmbeddedPublicKey() {
		assertRefused(TestKeys.hmacJwt(pem(KONTROL.getPublic()).getBytes(StandardCharsets.US_ASCII), kiteKeyClaims()),
				"key is of invalid type");
	}

	@Test
	void refusesKiteKeyWithoutUsername() {
		Map<String, Object> claims = kiteKeyClaims();
		claims.remove("sub");
		assertRefused(rsaJwt(JWSAlgorithm.RS256, KONTROL, claims), "token has no username");
		claims.put("sub", "");
		assertRefused(rsaJwt(JWSAlgorithm.RS256, KONTROL, claims), "token has no username");
	}

	@Test
	void checksTimeClaimsWithoutLeeway() {
		Map<String, Object> claims = kiteKeyClaims();
		claims.put("iat", NOW + 1);
		assertRefused(rsaJwt(JWSAlgorithm.RS256, KONTROL, claims), "Token used before issued");
		claims.put("iat", NOW - 300);
		claims.put("exp", NOW - 5);
		assertRefused(rsaJwt(JWSAlgorithm.RS256, KONTROL, claims), "token is expired by 5s");
		claims.remove("exp");
		claims.put("nbf", NOW + 5);
		assertRefused(rsaJwt(JWSAlgorithm.RS256, KONTROL, claims), "token is not valid yet");
	}

	@Test
	void signatureErrorWinsOverTimeError() {
		Map<String, Object> claims = kiteKeyClaims();
		claims.put("exp", NOW - 5);
		assertRefused(rsaJwt(JWSAlgorithm.RS256, OTHER, claims), "crypto/rsa: verification error");
	}

	@Test
	void refusesGarbage() {
		assertRefused("", "token contains an invalid number of segments");
		assertRefused("kite.key", "token contains an invalid number of segments");
		assertRefused("bearer a.b.c", "tokenstring should not contain 'bearer '");
		assertRefused("a".repeat(1024 * 1024), "token is too large");
	}

	@Test
	void cachedKiteKeyIsRefusedOnceTrustIsRevoked() {
		String key = rsaJwt(JWSAlgorithm.RS256, KONTROL, kiteKeyClaims());
		assertThat(authenticate(key).getName()).isEqualTo("devrim");
		this.trusted.clear();
		assertRefused(key, "kontrol key is not trusted");
	}

	@Test
	void cachedKiteKeyIsRefusedOnceItExpires() {
		Map<String, Object> claims = kiteKeyClaims();
		claims.put("exp", NOW + 10);
		String key = rsaJwt(JWSAlgorithm.RS256, KONTROL, claims);
		assertThat(authenticate(key).getName()).isEqualTo("devrim");
		this.clock.advanceSeconds(12);
		assertRefused(key, "token is expired by 2s");
	}

	@Test
	void worksWithCachingTrustAndManager() {
		KiteKeyAuthenticationProvider cached = new KiteKeyAuthenticationProvider(new CachingKontrolKeyTrust(
				ConfiguredKontrolKeyTrust.of(pem(KONTROL.getPublic())), Duration.ofMinutes(5), this.clock, 10));
		KiteAuthenticationManager manager = new KiteAuthenticationManager(List.of(cached));
		assertThat(manager
			.authenticate(KiteAuthenticationToken.unauthenticated("kiteKey",
					rsaJwt(JWSAlgorithm.RS256, KONTROL, kiteKeyClaims()), CALLER))
			.getName()).isEqualTo("devrim");
		Map<String, Object> claims = kiteKeyClaims();
		claims.put("kontrolKey", pem(OTHER.getPublic()));
		assertThatExceptionOfType(BadCredentialsException.class)
			.isThrownBy(() -> manager.authenticate(KiteAuthenticationToken.unauthenticated("kiteKey",
					rsaJwt(JWSAlgorithm.RS256, OTHER, claims), CALLER)))
			.withMessage("kiteKey: kontrol key is not trusted");
	}

}
