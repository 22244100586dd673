package dev.kite.auth.provider;

import dev.kite.auth.BoundedExpiringCache;
import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.auth.KiteAuthoritiesConverter;
import dev.kite.auth.jwt.GoJwt;
import dev.kite.auth.key.RsaPem;
import dev.kite.auth.trust.CachingKontrolKeyTrust;
import dev.kite.auth.trust.KontrolKeyTrust;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;

import dev.kite.protocol.Auth;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Verifies {@code kiteKey} credentials: the caller's long-lived kite key (PROTOCOL §4.3,
 * Go's {@code Kite.AuthenticateFromKiteKey}). Returns {@code null} for any other auth
 * type.
 *
 * <p>
 * Checks, in Go's order and with Go's messages (the {@link KiteAuthenticationManager}
 * prefixes {@code kiteKey: }):
 * <ol>
 * <li>the key decodes as jwt-go decodes it (three segments, base64url, JSON, claim
 * types);</li>
 * <li>it has a {@code kontrolKey} claim ({@code no kontrol key found}) that is an RSA
 * public key in PEM form (jwt-go's PEM messages);</li>
 * <li>the {@link KontrolKeyTrust} trusts that PEM
 * ({@code kontrol key is not trusted});</li>
 * <li>the signature verifies with the embedded key. As in Go, any RSA method
 * (RS256/384/512, PS256/384/512) is accepted; {@code none} fails with
 * {@code 'none' signature type is not allowed}, HMAC and EC with
 * {@code key is of invalid type}, a bad RSA signature with
 * {@code crypto/rsa: verification error} (a signature error wins over a time error, as in
 * Go);</li>
 * <li>time claims with no leeway, as for tokens (kite keys usually have only
 * {@code iat});</li>
 * <li>{@code sub} is not empty ({@code token has no username}).</li>
 * </ol>
 * {@code iss} and {@code aud} are not checked. The result's name is {@code sub}, and the
 * caller's identity gets that username.
 *
 * <p>
 * Verified keys are cached per key string (bounded, until {@code exp} if there is one); a
 * hit still asks the {@link KontrolKeyTrust} (cache that one with
 * {@link CachingKontrolKeyTrust}) and re-checks the time claims, so revoking trust takes
 * effect.
 *
 * <p>
 * Thread-safe: request threads call it concurrently.
 */
public final class KiteKeyAuthenticationProvider extends KiteAuthTypeProvider {

	/** The auth type this provider verifies. */
	public static final String AUTH_TYPE = Auth.KITE_KEY;

	/** Default bound on cached kite keys. */
	public static final int DEFAULT_CACHE_SIZE = 10_000;

	private final KontrolKeyTrust trust;

	private final Clock clock;

	private final BoundedExpiringCache<Verified> cache;

	private record Verified(GoJwt jwt, Finished finished) {
	}

	/**
	 * With the default authorities, the system clock and a cache of
	 * {@link #DEFAULT_CACHE_SIZE}.
	 * @param trust decides which embedded Kontrol keys are trusted
	 */
	public KiteKeyAuthenticationProvider(KontrolKeyTrust trust) {
		this(trust, KiteAuthoritiesConverter.byAuthType(), Clock.systemUTC(), DEFAULT_CACHE_SIZE);
	}

	/**
	 * @param trust decides which embedded Kontrol keys are trusted
	 * @param authoritiesConverter grants authorities to verified callers
	 * @param clock the time source for {@code exp}, {@code iat} and {@code nbf}
	 * @param cacheSize the most verified keys kept
	 */
	public KiteKeyAuthenticationProvider(KontrolKeyTrust trust, KiteAuthoritiesConverter authoritiesConverter,
			Clock clock, int cacheSize) {
		super(AUTH_TYPE, authoritiesConverter);
		this.trust = trust;
		this.clock = clock;
		this.cache = new BoundedExpiringCache<>(cacheSize);
	}

	@Override
	Authentication verify(KiteAuthenticationToken token, String raw) throws AuthenticationException {
		long nowMillis = this.clock.millis();
		long now = Math.floorDiv(nowMillis, 1000);
		Verified verified = this.cache.get(raw, nowMillis);
		if (verified == null || !verified.jwt().timeValid(now) || !this.trust.isTrusted(verified.jwt().kontrolKey)) {
			GoJwt jwt = verify(raw, now);
			verified = new Verified(jwt, new Finished());
			this.cache.put(raw, verified, jwt.expiryMillis(), nowMillis);
		}
		GoJwt jwt = verified.jwt();
		return authenticated(token, raw, jwt.sub, jwt.claims, verified.finished());
	}

	private GoJwt verify(String raw, long now) {
		GoJwt jwt = GoJwt.parse(raw);
		if (jwt.kontrolKey.isEmpty()) {
			throw new BadCredentialsException("no kontrol key found");
		}
		RSAPublicKey key;
		try {
			key = RsaPem.parsePublicKey(jwt.kontrolKey);
		}
		catch (RsaPem.InvalidPemException ex) {
			throw new BadCredentialsException(ex.getMessage());
		}
		if (!this.trust.isTrusted(jwt.kontrolKey)) {
			throw new BadCredentialsException("kontrol key is not trusted");
		}
		AuthenticationException timeError = jwt.timeError(now);
		String signatureError = signatureError(jwt, key);
		if (signatureError != null) {
			throw new BadCredentialsException(signatureError);
		}
		if (timeError != null) {
			throw timeError;
		}
		if (jwt.sub.isEmpty()) {
			throw new BadCredentialsException("token has no username");
		}
		return jwt;
	}

	/**
	 * What jwt-go's signing method for {@code alg} says when handed an RSA public key.
	 */
	private static @Nullable String signatureError(GoJwt jwt, RSAPublicKey key) {
		if (jwt.isRsaFamily()) {
			return jwt.verifyRsa(key);
		}
		if (jwt.alg.equals("none")) {
			return "'none' signature type is not allowed";
		}
		if (jwt.alg.startsWith("ES")) {
			// ECDSA decodes the signature before it looks at the key.
			try {
				GoJwt.decodeSegment(jwt.signatureSegment);
			}
			catch (BadCredentialsException ex) {
				return ex.getMessage();
			}
		}
		return "key is of invalid type";
	}

}
