package dev.kite.auth.key;

import java.text.ParseException;
import java.util.Objects;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/**
 * A kite key: the long-lived JWT Kontrol issued to a user or machine (PROTOCOL §4.2,
 * §4.8), with the claims a kite configures itself from. Parsing does not check the
 * signature; the key is verified where it is presented
 * ({@link dev.kite.auth.provider.KiteKeyAuthenticationProvider}).
 *
 * <p>
 * Immutable and thread-safe. {@link #toString()} never prints the key.
 */
public final class KiteKey {

	private final String raw;

	private final String username;

	private final String kontrolUser;

	private final String id;

	private final String kontrolUrl;

	private final String kontrolKey;

	private KiteKey(String raw, String username, String kontrolUser, String id, String kontrolUrl, String kontrolKey) {
		this.raw = raw;
		this.username = username;
		this.kontrolUser = kontrolUser;
		this.id = id;
		this.kontrolUrl = kontrolUrl;
		this.kontrolKey = kontrolKey;
	}

	/**
	 * Parses a kite key (surrounding whitespace is trimmed). The signature is not
	 * checked.
	 * @param jwt the compact JWT
	 * @return the key
	 * @throws ParseException when the text is not a signed JWT with string claims
	 * {@code sub}, {@code iss}, {@code jti}, {@code kontrolURL} and {@code kontrolKey}
	 * (each may be absent); the message never contains the key
	 */
	public static KiteKey parse(String jwt) throws ParseException {
		String raw = jwt.strip();
		JWTClaimsSet claims = SignedJWT.parse(raw).getJWTClaimsSet();
		return new KiteKey(raw, orEmpty(claims.getSubject()), orEmpty(claims.getIssuer()), orEmpty(claims.getJWTID()),
				orEmpty(claims.getStringClaim("kontrolURL")), orEmpty(claims.getStringClaim("kontrolKey")));
	}

	private static String orEmpty(@Nullable String value) {
		return Objects.requireNonNullElse(value, "");
	}

	/**
	 * The compact JWT, trimmed: what a kite sends as {@code {"type":"kiteKey","key":…}}.
	 */
	public String raw() {
		return this.raw;
	}

	/** The {@code sub} claim: the owner's username ({@code ""} when absent). */
	public String username() {
		return this.username;
	}

	/** The {@code iss} claim: Kontrol's username, which a kite trusts as token issuer. */
	public String kontrolUser() {
		return this.kontrolUser;
	}

	/** The {@code jti} claim (Go copies it to {@code Config.Id}). */
	public String id() {
		return this.id;
	}

	/**
	 * The {@code kontrolURL} claim: where Kontrol listens, e.g.
	 * {@code http://host:4000/kite}.
	 */
	public String kontrolUrl() {
		return this.kontrolUrl;
	}

	/** The {@code kontrolKey} claim: Kontrol's PEM public key, the one to trust. */
	public String kontrolKey() {
		return this.kontrolKey;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof KiteKey key) && key.raw.equals(this.raw);
	}

	@Override
	public int hashCode() {
		return this.raw.hashCode();
	}

	@Override
	public String toString() {
		return "KiteKey[username=" + this.username + ", kontrolUser=" + this.kontrolUser + ", kontrolURL="
				+ this.kontrolUrl + "]";
	}

}
