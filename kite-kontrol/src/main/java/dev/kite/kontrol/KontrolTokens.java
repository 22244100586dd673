package dev.kite.kontrol;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import dev.kite.auth.BoundedExpiringCache;
import dev.kite.auth.jwt.GoJwt;
import dev.kite.kontrol.store.KontrolKeyPair;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Mints what Kontrol signs (PROTOCOL §4.2): tokens for calling a kite, kite keys for
 * users and machines, and re-keyed kite keys. Every JWT is RS256 with the header
 * {@code {"alg":"RS256","typ":"JWT"}}, claims in Go's order, empty claims omitted, and
 * integer time claims.
 *
 * <p>
 * Tokens are cached per audience, subject, issuer and key pair for the token TTL minus
 * the leeway, as Go's Kontrol caches them, so kites sharing a key pair get the same
 * token.
 *
 * <p>
 * Thread-safe: request threads call it concurrently (the caches are concurrent maps).
 */
public final class KontrolTokens {

	/** Base64url of {@code {"alg":"RS256","typ":"JWT"}}, exactly as jwt-go writes it. */
	static final String HEADER = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9";

	private static final int TOKEN_CACHE_SIZE = 10_000;

	private static final ObjectMapper json = JsonMapper.builder().build();

	private final String issuer;

	private final Duration ttl;

	private final Duration leeway;

	private final Clock clock;

	private final BoundedExpiringCache<String> tokens = new BoundedExpiringCache<>(TOKEN_CACHE_SIZE);

	/**
	 * Parsed private keys by pair id (a handful of pairs; parsing costs more than
	 * signing).
	 */
	private final Map<String, RSAPrivateKey> privateKeys = new ConcurrentHashMap<>();

	/**
	 * @param issuer Kontrol's username, every JWT's {@code iss}
	 * @param ttl how long a token is valid (Go: 48 h)
	 * @param leeway how far {@code iat}/{@code nbf} are backdated and {@code exp}
	 * extended, since verifiers allow none (Go: 5 min)
	 * @param clock the time source
	 */
	public KontrolTokens(String issuer, Duration ttl, Duration leeway, Clock clock) {
		if (ttl.compareTo(leeway) <= 0) {
			throw new IllegalArgumentException("The token TTL must be longer than the leeway");
		}
		this.issuer = issuer;
		this.ttl = ttl;
		this.leeway = leeway;
		this.clock = clock;
	}

	/**
	 * A token for calling kites of an audience: {@code aud, exp, jti, iat, iss, nbf, sub}
	 * with {@code exp} = now + TTL + leeway and {@code iat} = {@code nbf} = now − leeway.
	 * @param audience the audience (see
	 * {@link dev.kite.kontrol.query.KiteQueries#audience})
	 * @param subject the requester's username
	 * @param pair the key pair that signs
	 * @param force {@code true} mints a new token and replaces the cached one
	 * @return the compact JWT
	 */
	public String token(String audience, String subject, KontrolKeyPair pair, boolean force) {
		String cacheKey = audience + '\n' + subject + '\n' + this.issuer + '\n' + pair.id();
		long nowMillis = this.clock.millis();
		if (!force) {
			String cached = this.tokens.get(cacheKey, nowMillis);
			if (cached != null) {
				return cached;
			}
		}
		long now = Math.floorDiv(nowMillis, 1000);
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("aud", audience);
		claims.put("exp", now + this.ttl.toSeconds() + this.leeway.toSeconds());
		claims.put("jti", UUID.randomUUID().toString());
		claims.put("iat", now - this.leeway.toSeconds());
		claims.put("iss", this.issuer);
		claims.put("nbf", now - this.leeway.toSeconds());
		claims.put("sub", subject);
		String token = sign(claims, pair);
		this.tokens.put(cacheKey, token, nowMillis + this.ttl.minus(this.leeway).toMillis(), nowMillis);
		return token;
	}

	/**
	 * A kite key for a user or machine, as Go's {@code kontrol -initial} and
	 * {@code registerMachine} issue it:
	 * {@code jti, iat, iss, sub, kontrolKey, kontrolURL}, {@code iat} = now − leeway, no
	 * {@code exp}.
	 * @param username the owner ({@code sub})
	 * @param pair the key pair that signs; its public key becomes {@code kontrolKey}
	 * @param kontrolUrl Kontrol's URL ({@code kontrolURL}); omitted when empty
	 * @return the compact JWT
	 */
	public String kiteKey(String username, KontrolKeyPair pair, String kontrolUrl) {
		long now = Math.floorDiv(this.clock.millis(), 1000);
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("jti", UUID.randomUUID().toString());
		claims.put("iat", now - this.leeway.toSeconds());
		claims.put("iss", this.issuer);
		putIfNotEmpty(claims, "sub", username);
		claims.put("kontrolKey", pair.publicKey().trim());
		putIfNotEmpty(claims, "kontrolURL", kontrolUrl);
		return sign(claims, pair);
	}

	/**
	 * Re-signs a kite key's claims with another pair (PROTOCOL §6.8): the claims Go's
	 * {@code KiteClaims} holds are kept, {@code kontrolKey}, when present, becomes the
	 * new public key.
	 * @param kiteKey the caller's kite key, already verified
	 * @param pair the new pair
	 * @return the compact JWT
	 */
	public String rekey(GoJwt kiteKey, KontrolKeyPair pair) {
		Map<String, Object> claims = new LinkedHashMap<>();
		putIfNotEmpty(claims, "aud", kiteKey.aud);
		putIfNotZero(claims, "exp", kiteKey.exp);
		putIfNotEmpty(claims, "jti", kiteKey.jti);
		putIfNotZero(claims, "iat", kiteKey.iat);
		putIfNotEmpty(claims, "iss", kiteKey.iss);
		putIfNotZero(claims, "nbf", kiteKey.nbf);
		putIfNotEmpty(claims, "sub", kiteKey.sub);
		putIfNotEmpty(claims, "kontrolKey", kiteKey.kontrolKey.isEmpty() ? "" : pair.publicKey());
		putIfNotEmpty(claims, "kontrolURL", kiteKey.kontrolUrl);
		return sign(claims, pair);
	}

	private static void putIfNotEmpty(Map<String, Object> claims, String name, String value) {
		if (!value.isEmpty()) {
			claims.put(name, value);
		}
	}

	private static void putIfNotZero(Map<String, Object> claims, String name, long value) {
		if (value != 0) {
			claims.put(name, value);
		}
	}

	private String sign(Map<String, Object> claims, KontrolKeyPair pair) {
		RSAPrivateKey key = this.privateKeys.computeIfAbsent(pair.id(),
				(id) -> KontrolKeys.parsePrivateKey(pair.privateKey()));
		String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(json.writeValueAsBytes(claims));
		String signingInput = HEADER + "." + payload;
		try {
			String signature = new RSASSASigner(key)
				.sign(new JWSHeader(JWSAlgorithm.RS256), signingInput.getBytes(StandardCharsets.US_ASCII))
				.toString();
			return signingInput + "." + signature;
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot sign with key pair " + pair.id(), ex);
		}
	}

}
