package dev.kite.auth.provider;

import dev.kite.auth.BoundedExpiringCache;
import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.auth.KiteAuthoritiesConverter;
import dev.kite.auth.jwt.GoJwt;
import dev.kite.auth.trust.KontrolTrust;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.function.Supplier;

import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Verifies {@code token} credentials: short-lived JWTs Kontrol issues for calling one
 * kite (PROTOCOL §4.5, Go's {@code Kite.AuthenticateFromToken}). Returns {@code null} for
 * any other auth type.
 *
 * <p>
 * Checks, in Go's order and with Go's messages (the {@link KiteAuthenticationManager}
 * prefixes {@code token: }):
 * <ol>
 * <li>the token decodes as jwt-go decodes it (three segments, base64url, JSON, claim
 * types);</li>
 * <li>a Kontrol key is configured, else {@link IllegalStateException} (Go panics, and the
 * caller gets a {@code genericError});</li>
 * <li>{@code alg} is RS256, RS384 or RS512, else {@code invalid signing method}
 * ({@code none}, HMAC keyed with the public key, PSS and EC are all refused here);</li>
 * <li>{@code iss} equals the trusted Kontrol user, else
 * {@code issuer is not trusted: <iss>};</li>
 * <li>the signature verifies with one of the Kontrol keys, else {@code token is expired}:
 * Go reports a bad signature that way on purpose, so that callers renew after a key
 * rotation;</li>
 * <li>time claims with no leeway: {@code token is expired by <d>},
 * {@code Token used before issued}, {@code token is not valid yet};</li>
 * <li>{@code token has no audience}, {@code token has no username};</li>
 * <li>the audience: {@code /} matches every kite; otherwise the username must equal the
 * local kite's, and environment and name must be empty or equal.</li>
 * </ol>
 * The result's name is {@code sub}, and the caller's identity gets that username.
 *
 * <p>
 * Successful verifications are cached per token string until the token's {@code exp},
 * bounded in size, and valid only for the same {@link KontrolTrust} and local identity;
 * time claims are re-checked on every hit, so an expired cached token is refused with
 * Go's message.
 *
 * <p>
 * Thread-safe: request threads call it concurrently; the cache is lock-free on lookups.
 * The suppliers are called on every request and must be thread-safe and cheap.
 */
public final class TokenAuthenticationProvider extends KiteAuthTypeProvider {

	/** The auth type this provider verifies. */
	public static final String AUTH_TYPE = Auth.TOKEN;

	/** Default bound on cached tokens. */
	public static final int DEFAULT_CACHE_SIZE = 10_000;

	private final Supplier<Kite> localKite;

	private final Supplier<KontrolTrust> trust;

	private final Clock clock;

	private final BoundedExpiringCache<Verified> cache;

	private record Verified(GoJwt jwt, KontrolTrust trust, Kite localKite, Finished finished) {
	}

	/**
	 * With the default authorities, the system clock and a cache of
	 * {@link #DEFAULT_CACHE_SIZE}.
	 * @param localKite this kite's identity (its username, environment and name are
	 * compared with the audience)
	 * @param trust the Kontrol user and keys currently trusted
	 */
	public TokenAuthenticationProvider(Supplier<Kite> localKite, Supplier<KontrolTrust> trust) {
		this(localKite, trust, KiteAuthoritiesConverter.byAuthType(), Clock.systemUTC(), DEFAULT_CACHE_SIZE);
	}

	/**
	 * @param localKite this kite's identity (its username, environment and name are
	 * compared with the audience)
	 * @param trust the Kontrol user and keys currently trusted
	 * @param authoritiesConverter grants authorities to verified callers
	 * @param clock the time source for {@code exp}, {@code iat} and {@code nbf}
	 * @param cacheSize the most verified tokens kept
	 */
	public TokenAuthenticationProvider(Supplier<Kite> localKite, Supplier<KontrolTrust> trust,
			KiteAuthoritiesConverter authoritiesConverter, Clock clock, int cacheSize) {
		super(AUTH_TYPE, authoritiesConverter);
		this.localKite = localKite;
		this.trust = trust;
		this.clock = clock;
		this.cache = new BoundedExpiringCache<>(cacheSize);
	}

	@Override
	Authentication verify(KiteAuthenticationToken token, String raw) throws AuthenticationException {
		Kite local = this.localKite.get();
		KontrolTrust currentTrust = this.trust.get();
		long nowMillis = this.clock.millis();
		long now = Math.floorDiv(nowMillis, 1000);
		Verified verified = this.cache.get(raw, nowMillis);
		if (verified == null || !sameTrust(verified.trust(), currentTrust) || !verified.localKite().equals(local)
				|| !verified.jwt().timeValid(now)) {
			verified = new Verified(verify(raw, local, currentTrust, now), currentTrust, local, new Finished());
			this.cache.put(raw, verified, verified.jwt().expiryMillis(), nowMillis);
		}
		GoJwt jwt = verified.jwt();
		return authenticated(token, raw, jwt.sub, jwt.claims, verified.finished());
	}

	private static boolean sameTrust(KontrolTrust cached, KontrolTrust current) {
		return cached == current || cached.equals(current);
	}

	private static GoJwt verify(String raw, Kite local, KontrolTrust trust, long now) {
		GoJwt jwt = GoJwt.parse(raw);
		if (trust.kontrolKeys().isEmpty()) {
			throw new IllegalStateException("kontrol key is not set in config");
		}
		if (!GoJwt.RSA_PKCS1_ALGS.contains(jwt.alg)) {
			throw new BadCredentialsException("invalid signing method");
		}
		if (!jwt.iss.equals(trust.kontrolUser())) {
			throw new BadCredentialsException("issuer is not trusted: " + jwt.iss);
		}
		AuthenticationException timeError = jwt.timeError(now);
		if (!signedByAny(jwt, trust)) {
			throw new CredentialsExpiredException("token is expired");
		}
		if (timeError != null) {
			throw timeError;
		}
		if (jwt.aud.isEmpty()) {
			throw new BadCredentialsException("token has no audience");
		}
		if (jwt.sub.isEmpty()) {
			throw new BadCredentialsException("token has no username");
		}
		checkAudience(local, jwt.aud);
		return jwt;
	}

	private static boolean signedByAny(GoJwt jwt, KontrolTrust trust) {
		for (RSAPublicKey key : trust.kontrolKeys()) {
			if (jwt.verifyRsa(key) == null) {
				return true;
			}
		}
		return false;
	}

	/** Go's {@code Kite.verifyAudience}. */
	static void checkAudience(Kite local, String audience) {
		if (audience.equals("/")) {
			return;
		}
		if (!audience.startsWith("/")) {
			throw new BadCredentialsException("invalid audience: invalid kite string (" + audience + ")");
		}
		Kite aud = Kite.fromPath(audience);
		if (!local.username().equals(aud.username())) {
			throw new BadCredentialsException(
					"audience: username " + goQuote(aud.username()) + " not allowed (" + audience + ")");
		}
		if (!aud.environment().isEmpty() && !local.environment().equals(aud.environment())) {
			throw new BadCredentialsException(
					"audience: environment " + goQuote(aud.environment()) + " not allowed (" + audience + ")");
		}
		if (!aud.name().isEmpty() && !local.name().equals(aud.name())) {
			throw new BadCredentialsException(
					"audience: kite " + goQuote(aud.name()) + " not allowed (" + audience + ")");
		}
	}

	/**
	 * Go's {@code %q} for the strings that occur in audiences (ASCII escapes; other text
	 * kept).
	 */
	static String goQuote(String text) {
		StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				case '\n' -> quoted.append("\\n");
				case '\r' -> quoted.append("\\r");
				case '\t' -> quoted.append("\\t");
				case '\u0007' -> quoted.append("\\a");
				case '\b' -> quoted.append("\\b");
				case '\f' -> quoted.append("\\f");
				case '\u000b' -> quoted.append("\\v");
				default -> {
					if (c < 0x20 || c == 0x7f) {
						quoted.append(String.format("\\x%02x", (int) c));
					}
					else {
						quoted.append(c);
					}
				}
			}
		}
		return quoted.append('"').toString();
	}

}
