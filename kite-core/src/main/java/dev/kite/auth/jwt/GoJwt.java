package dev.kite.auth.jwt;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.kite.protocol.GoDurations;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.core.AuthenticationException;

/**
 * A JWT taken apart the way Go's jwt-go v3.2.0 does it before any key is looked up
 * ({@code Parser.ParseUnverified} decoding into {@code kitekey.KiteClaims}), so that
 * verifiers can fail in Go's order and with Go's messages. JSON and RSA work is Nimbus's;
 * this class only reproduces jwt-go's sequence of checks: three segments, base64url
 * segments, a JSON object header, claims whose types match {@code KiteClaims}, and a
 * known {@code alg}.
 *
 * <p>
 * Immutable and thread-safe.
 */
public final class GoJwt {

	/**
	 * Longest compact JWT accepted. Go has no limit; Kontrol's tokens are about 400
	 * characters and kite keys about 1,200, so this only stops abuse (a huge token would
	 * otherwise be decoded and hashed).
	 */
	public static final int MAX_LENGTH = 64 * 1024;

	/**
	 * Signing methods jwt-go v3.2.0 registers; any other {@code alg} is "unavailable".
	 */
	private static final Set<String> GO_KNOWN_ALGS = Set.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
			"PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "none");

	/**
	 * Go's {@code *jwt.SigningMethodRSA}: the only methods the {@code token}
	 * authenticator takes.
	 */
	public static final Set<String> RSA_PKCS1_ALGS = Set.of("RS256", "RS384", "RS512");

	private static final Set<String> RSA_PSS_ALGS = Set.of("PS256", "PS384", "PS512");

	public final String headerSegment;

	public final String payloadSegment;

	public final String signatureSegment;

	public final String alg;

	public final Map<String, Object> claims;

	public final String aud;

	public final long exp;

	public final String jti;

	public final long iat;

	public final String iss;

	public final long nbf;

	public final String sub;

	public final String kontrolKey;

	public final String kontrolUrl;

	private GoJwt(String[] parts, String alg, Map<String, Object> claims, ClaimValues values) {
		this.headerSegment = parts[0];
		this.payloadSegment = parts[1];
		this.signatureSegment = parts[2];
		this.alg = alg;
		Map<String, Object> nonNull = new java.util.HashMap<>();
		claims.forEach((name, value) -> {
			if (value != null) {
				nonNull.put(name, value);
			}
		});
		this.claims = Map.copyOf(nonNull);
		this.aud = values.aud;
		this.exp = values.exp;
		this.jti = values.jti;
		this.iat = values.iat;
		this.iss = values.iss;
		this.nbf = values.nbf;
		this.sub = values.sub;
		this.kontrolKey = values.kontrolKey;
		this.kontrolUrl = values.kontrolUrl;
	}

	/**
	 * Decodes a compact JWT as jwt-go's {@code ParseUnverified} does.
	 * @param raw the compact JWT
	 * @return the decoded token; nothing about it is verified yet
	 * @throws BadCredentialsException with jwt-go's message when the token is malformed
	 */
	public static GoJwt parse(String raw) {
		if (raw.length() > MAX_LENGTH) {
			throw new BadCredentialsException("token is too large");
		}
		String[] parts = raw.split("\\.", -1);
		if (parts.length != 3) {
			throw new BadCredentialsException("token contains an invalid number of segments");
		}
		byte[] headerBytes;
		try {
			headerBytes = decodeSegment(parts[0]);
		}
		catch (BadCredentialsException ex) {
			if (raw.regionMatches(true, 0, "bearer ", 0, 7)) {
				throw new BadCredentialsException("tokenstring should not contain 'bearer '");
			}
			throw ex;
		}
		Map<String, Object> header = parseObject(headerBytes, "header");
		Map<String, Object> claims = parseObject(decodeSegment(parts[1]), "payload");
		ClaimValues values = ClaimValues.of(claims);
		Object alg = header.get("alg");
		if (!(alg instanceof String algName)) {
			throw new BadCredentialsException("signing method (alg) is unspecified.");
		}
		if (!GO_KNOWN_ALGS.contains(algName)) {
			throw new BadCredentialsException("signing method (alg) is unavailable.");
		}
		return new GoJwt(parts, algName, claims, values);
	}

	/**
	 * jwt-go's {@code StandardClaims.Valid}: exp, iat and nbf checked in that order
	 * against whole seconds with no leeway; a zero claim is skipped; when several fail,
	 * the last one's message is the one Go reports.
	 * @param now seconds since the epoch
	 * @return the exception to throw, or {@code null} when the time claims hold
	 */
	public @Nullable AuthenticationException timeError(long now) {
		AuthenticationException error = null;
		if (this.exp != 0 && now > this.exp) {
			error = new CredentialsExpiredException("token is expired by " + expiredBy(now, this.exp));
		}
		if (this.iat != 0 && now < this.iat) {
			error = new BadCredentialsException("Token used before issued");
		}
		if (this.nbf != 0 && now < this.nbf) {
			error = new BadCredentialsException("token is not valid yet");
		}
		return error;
	}

	/** Whether the time claims hold at {@code now} (seconds). */
	public boolean timeValid(long now) {
		return (this.exp == 0 || now <= this.exp) && (this.iat == 0 || now >= this.iat)
				&& (this.nbf == 0 || now >= this.nbf);
	}

	/**
	 * The first instant (epoch milliseconds) at which {@code exp} no longer holds, for
	 * caches: {@link Long#MAX_VALUE} when there is no {@code exp} or it is too far away
	 * to count.
	 */
	public long expiryMillis() {
		if (this.exp == 0 || this.exp >= Long.MAX_VALUE / 1000 - 1) {
			return Long.MAX_VALUE;
		}
		return (this.exp + 1) * 1000;
	}

	/** Whether {@code alg} is one of Go's RSA methods (PKCS#1 v1.5 or PSS). */
	public boolean isRsaFamily() {
		return RSA_PKCS1_ALGS.contains(this.alg) || RSA_PSS_ALGS.contains(this.alg);
	}

	/**
	 * Checks the signature with an RSA key, as jwt-go's RSA and RSA-PSS methods do.
	 * @param key the public key
	 * @return {@code null} when valid, else Go's reason (a base64 error or
	 * {@code crypto/rsa: verification error})
	 */
	public @Nullable String verifyRsa(RSAPublicKey key) {
		try {
			decodeSegment(this.signatureSegment);
		}
		catch (BadCredentialsException ex) {
			return ex.getMessage();
		}
		try {
			RSASSAVerifier verifier = new RSASSAVerifier(key);
			byte[] signingInput = (this.headerSegment + "." + this.payloadSegment).getBytes(StandardCharsets.US_ASCII);
			boolean valid = verifier.verify(new JWSHeader(JWSAlgorithm.parse(this.alg)), signingInput,
					new Base64URL(this.signatureSegment));
			return valid ? null : "crypto/rsa: verification error";
		}
		catch (JOSEException ex) {
			return "crypto/rsa: verification error";
		}
	}

	/**
	 * jwt-go's {@code DecodeSegment}: pad to a multiple of four, then standard base64url
	 * with padding. Go skips CR and LF inside base64; so do we.
	 */
	public static byte[] decodeSegment(String segment) {
		StringBuilder text = new StringBuilder(segment.length() + 3);
		for (int i = 0; i < segment.length(); i++) {
			char c = segment.charAt(i);
			if (c == '\r' || c == '\n') {
				continue;
			}
			boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_' || c == '=';
			if (!alphabet) {
				throw new BadCredentialsException("illegal base64 data at input byte " + i);
			}
			text.append(c);
		}
		int rest = segment.length() % 4;
		if (rest > 0) {
			text.append("===", 0, 4 - rest);
		}
		try {
			return Base64.getUrlDecoder().decode(text.toString());
		}
		catch (IllegalArgumentException ex) {
			int padding = text.indexOf("=");
			throw new BadCredentialsException(
					"illegal base64 data at input byte " + ((padding >= 0) ? padding : text.length()));
		}
	}

	private static Map<String, Object> parseObject(byte[] json, String part) {
		try {
			return JSONObjectUtils.parse(new String(json, StandardCharsets.UTF_8));
		}
		catch (ParseException | RuntimeException ex) {
			// Go would print encoding/json's syntax error here; we do not reproduce those
			// texts.
			throw new BadCredentialsException("token " + part + " is not a valid JSON object");
		}
	}

	/**
	 * Go's {@code time.Time.Sub} printed: the difference saturates at the largest
	 * {@code time.Duration} (about 292 years).
	 */
	private static String expiredBy(long now, long exp) {
		long delta = now - exp;
		boolean overflow = ((now ^ exp) & (now ^ delta)) < 0;
		if (overflow || delta > MAX_DURATION_SECONDS) {
			return "2562047h47m16.854775807s";
		}
		return GoDurations.format(Duration.ofSeconds(delta));
	}

	/** Whole seconds in Go's largest {@code time.Duration}. */
	private static final long MAX_DURATION_SECONDS = Long.MAX_VALUE / 1_000_000_000L;

	@Override
	public String toString() {
		// Never print the token.
		return "GoJwt[alg=" + this.alg + ", iss=" + this.iss + ", sub=" + this.sub + ", aud=" + this.aud + "]";
	}

	/**
	 * The claims as Go's {@code json.Decoder} fills {@code kitekey.KiteClaims}: keys
	 * match case-insensitively, later keys win, {@code null} leaves the zero value, and a
	 * value of the wrong JSON type fails with encoding/json's {@code UnmarshalTypeError}
	 * text (first error wins).
	 */
	private static final class ClaimValues {

		String aud = "";

		long exp;

		String jti = "";

		long iat;

		String iss = "";

		long nbf;

		String sub = "";

		String kontrolKey = "";

		String kontrolUrl = "";

		static ClaimValues of(Map<String, Object> claims) {
			ClaimValues values = new ClaimValues();
			String firstError = null;
			for (Map.Entry<String, Object> entry : claims.entrySet()) {
				String field = goField(entry.getKey());
				Object value = entry.getValue();
				if (field == null || value == null) {
					continue;
				}
				String error = values.set(field, value);
				if (error != null && firstError == null) {
					firstError = error;
				}
			}
			if (firstError != null) {
				throw new BadCredentialsException(firstError);
			}
			return values;
		}

		private static @Nullable String goField(String key) {
			for (String name : new String[] { "aud", "exp", "jti", "iat", "iss", "nbf", "sub", "kontrolKey",
					"kontrolURL" }) {
				if (name.equalsIgnoreCase(key)) {
					return name;
				}
			}
			return null;
		}

		private @Nullable String set(String field, Object value) {
			boolean integer = field.equals("exp") || field.equals("iat") || field.equals("nbf");
			if (integer) {
				if (!(value instanceof Long number)) {
					return typeError(value, field, "int64");
				}
				switch (field) {
					case "exp" -> this.exp = number;
					case "iat" -> this.iat = number;
					default -> this.nbf = number;
				}
				return null;
			}
			if (!(value instanceof String text)) {
				return typeError(value, field, "string");
			}
			switch (field) {
				case "aud" -> this.aud = text;
				case "jti" -> this.jti = text;
				case "iss" -> this.iss = text;
				case "sub" -> this.sub = text;
				case "kontrolKey" -> this.kontrolKey = text;
				default -> this.kontrolUrl = text;
			}
			return null;
		}

		private static String typeError(Object value, String field, String goType) {
			String kind;
			if (value instanceof Number number) {
				// Go quotes the literal for numbers decoded into integers; we have the
				// parsed value.
				kind = goType.equals("int64") ? "number " + number : "number";
			}
			else if (value instanceof Boolean) {
				kind = "bool";
			}
			else if (value instanceof String) {
				kind = "string";
			}
			else if (value instanceof Map) {
				kind = "object";
			}
			else {
				kind = "array";
			}
			return "json: cannot unmarshal " + kind + " into Go struct field KiteClaims." + field + " of type "
					+ goType;
		}

	}

}
