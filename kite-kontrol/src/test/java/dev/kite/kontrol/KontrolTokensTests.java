package dev.kite.kontrol;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.auth.KiteAuthoritiesConverter;
import dev.kite.auth.jwt.GoJwt;
import dev.kite.auth.provider.KiteKeyAuthenticationProvider;
import dev.kite.auth.provider.TokenAuthenticationProvider;
import dev.kite.auth.trust.KontrolTrust;
import dev.kite.kontrol.store.KontrolKeyPair;
import dev.kite.protocol.Kite;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Key pairs, tokens and kite keys as Go writes them (PROTOCOL §4.2, §4.9), checked with
 * kite-core's own verifiers.
 */
class KontrolTokensTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private static final KontrolKeyPair PAIR = KontrolFixture.SELF;

	private final Kite math = new Kite("math", "alice", "id-1", "production", "eu", "1.0.0", "h");

	@Test
	void generatedPairsArePkixAndPkcs8Pem() {
		assertThat(PAIR.publicKey()).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("\n-----END PUBLIC KEY-----");
		assertThat(PAIR.privateKey()).startsWith("-----BEGIN PRIVATE KEY-----\n")
			.endsWith("\n-----END PRIVATE KEY-----");
		assertThat(PAIR.id()).matches("[0-9a-f-]{36}");
		assertThat(KontrolKeys.parsePrivateKey(PAIR.privateKey()).getModulus().bitLength()).isEqualTo(2048);
	}

	@Test
	void readsPkcs1PrivateKeys() {
		RSAPrivateCrtKey key = (RSAPrivateCrtKey) KontrolKeys.parsePrivateKey(PAIR.privateKey());
		byte[] pkcs8 = key.getEncoded();
		// PKCS#8 = SEQUENCE(4) INTEGER(3) AlgorithmIdentifier(15) OCTET STRING(4) PKCS#1
		byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
		String pem = KontrolKeys.pem("RSA PRIVATE KEY", pkcs1);
		assertThat(KontrolKeys.parsePrivateKey(pem)).isEqualTo(key);
	}

	@Test
	void tokensHaveGosHeaderClaimOrderAndTimes() {
		KontrolTokens tokens = tokens(NOW);
		String token = tokens.token("/alice/production/math", "bob", PAIR, false);

		String[] parts = token.split("\\.");
		assertThat(parts[0]).isEqualTo("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9");
		String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		long now = NOW.getEpochSecond();
		assertThat(claims).matches("\\{\"aud\":\"/alice/production/math\",\"exp\":" + (now + 48 * 3600 + 300)
				+ ",\"jti\":\"[0-9a-f-]{36}\",\"iat\":" + (now - 300) + ",\"iss\":\"kontrol\",\"nbf\":" + (now - 300)
				+ ",\"sub\":\"bob\"\\}");
		assertThat(parts[1]).doesNotContain("=");
	}

	@Test
	void tokensAreAcceptedByTheTokenVerifierOfTheTargetKite() {
		String token = tokens(NOW).token("/alice/production/math", "bob", PAIR, false);

		TokenAuthenticationProvider verifier = tokenVerifier(this.math, NOW);
		assertThat(verifier.authenticate(KiteAuthenticationToken.unauthenticated("token", token, this.math)).getName())
			.isEqualTo("bob");
		// valid from the backdated iat up to exp
		assertThat(tokenVerifier(this.math, NOW.minusSeconds(300))
			.authenticate(KiteAuthenticationToken.unauthenticated("token", token, this.math))).isNotNull();
		assertThatExceptionOfType(CredentialsExpiredException.class)
			.isThrownBy(() -> tokenVerifier(this.math, NOW.plus(Duration.ofHours(48)).plusSeconds(301))
				.authenticate(KiteAuthenticationToken.unauthenticated("token", token, this.math)));
		// another kite refuses it
		Kite other = new Kite("other", "alice", "id-2", "production", "eu", "1.0.0", "h");
		assertThatExceptionOfType(BadCredentialsException.class)
			.isThrownBy(() -> tokenVerifier(other, NOW)
				.authenticate(KiteAuthenticationToken.unauthenticated("token", token, other)))
			.withMessageContaining("audience: kite \"math\" not allowed");
	}

	@Test
	void tokensAreCachedForTheTtlMinusTheLeewayUnlessForced() {
		MutableClock clock = new MutableClock(NOW);
		KontrolTokens tokens = new KontrolTokens("kontrol", Duration.ofHours(48), Duration.ofMinutes(5), clock);
		String first = tokens.token("/alice", "bob", PAIR, false);
		assertThat(tokens.token("/alice", "bob", PAIR, false)).isEqualTo(first);
		assertThat(tokens.token("/alice", "carol", PAIR, false)).isNotEqualTo(first);
		assertThat(tokens.token("/alice/production", "bob", PAIR, false)).isNotEqualTo(first);

		clock.now = NOW.plus(Duration.ofHours(48).minusMinutes(5)).minusSeconds(1);
		assertThat(tokens.token("/alice", "bob", PAIR, false)).isEqualTo(first);
		clock.now = NOW.plus(Duration.ofHours(48).minusMinutes(5));
		String second = tokens.token("/alice", "bob", PAIR, false);
		assertThat(second).isNotEqualTo(first);

		String forced = tokens.token("/alice", "bob", PAIR, true);
		assertThat(forced).isNotEqualTo(second);
		assertThat(tokens.token("/alice", "bob", PAIR, false)).isEqualTo(forced);
	}

	@Test
	void kiteKeysAreAcceptedByTheKiteKeyVerifierOfAKiteTrustingTheKey() {
		String key = tokens(NOW).kiteKey("alice", PAIR, "http://kontrol:6000/kite");

		GoJwt jwt = GoJwt.parse(key);
		assertThat(jwt.iss).isEqualTo("kontrol");
		assertThat(jwt.sub).isEqualTo("alice");
		assertThat(jwt.iat).isEqualTo(NOW.getEpochSecond() - 300);
		assertThat(jwt.exp).isZero();
		assertThat(jwt.aud).isEmpty();
		assertThat(jwt.nbf).isZero();
		assertThat(jwt.kontrolKey).isEqualTo(PAIR.publicKey());
		assertThat(jwt.kontrolUrl).isEqualTo("http://kontrol:6000/kite");
		String claims = new String(Base64.getUrlDecoder().decode(key.split("\\.")[1]), StandardCharsets.UTF_8);
		assertThat(claims).startsWith("{\"jti\":").contains("\"kontrolKey\":\"-----BEGIN PUBLIC KEY-----\\n");
		assertThat(claims.indexOf("\"iat\"")).isLessThan(claims.indexOf("\"iss\""));
		assertThat(claims.indexOf("\"sub\"")).isLessThan(claims.indexOf("\"kontrolKey\""));
		assertThat(claims.indexOf("\"kontrolKey\"")).isLessThan(claims.indexOf("\"kontrolURL\""));

		KiteKeyAuthenticationProvider verifier = new KiteKeyAuthenticationProvider(PAIR.publicKey()::equals,
				KiteAuthoritiesConverter.byAuthType(), Clock.fixed(NOW, ZoneOffset.UTC), 10);
		assertThat(verifier.authenticate(KiteAuthenticationToken.unauthenticated("kiteKey", key, this.math)).getName())
			.isEqualTo("alice");
		KiteKeyAuthenticationProvider untrusting = new KiteKeyAuthenticationProvider((pem) -> false,
				KiteAuthoritiesConverter.byAuthType(), Clock.fixed(NOW, ZoneOffset.UTC), 10);
		assertThatExceptionOfType(BadCredentialsException.class)
			.isThrownBy(
					() -> untrusting.authenticate(KiteAuthenticationToken.unauthenticated("kiteKey", key, this.math)))
			.withMessage("kontrol key is not trusted");
	}

	@Test
	void aKiteKeyWithoutUrlOmitsTheClaim() {
		String key = tokens(NOW).kiteKey("alice", PAIR, "");
		assertThat(GoJwt.parse(key).claims).doesNotContainKey("kontrolURL");
	}

	private static KontrolTokens tokens(Instant now) {
		return new KontrolTokens("kontrol", Duration.ofHours(48), Duration.ofMinutes(5),
				Clock.fixed(now, ZoneOffset.UTC));
	}

	private static TokenAuthenticationProvider tokenVerifier(Kite local, Instant now) {
		KontrolTrust trust = KontrolTrust.of("kontrol", List.of(PAIR.publicKey()));
		return new TokenAuthenticationProvider(() -> local, () -> trust, KiteAuthoritiesConverter.byAuthType(),
				Clock.fixed(now, ZoneOffset.UTC), 0);
	}

	private static final class MutableClock extends Clock {

		Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
