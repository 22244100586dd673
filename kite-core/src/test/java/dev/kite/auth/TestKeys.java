package dev.kite.auth;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

/** Key pairs and JWT minting for the auth tests (keys are generated once per JVM). */
public final class TestKeys {

	/** Kontrol's key pair. */
	public static final KeyPair KONTROL = rsa();

	/** Somebody else's key pair. */
	public static final KeyPair OTHER = rsa();

	/** "Now" for the fixed clocks: 2023-11-14T22:13:20Z. */
	public static final long NOW = 1_700_000_000L;

	private TestKeys() {
	}

	private static KeyPair rsa() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** PKIX PEM as Go's Kontrol writes it (trimmed). */
	public static String pem(PublicKey key) {
		String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
			.encodeToString(key.getEncoded());
		return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----";
	}

	/** Claims in insertion order. */
	public static Map<String, Object> claims(Object... nameValues) {
		Map<String, Object> claims = new LinkedHashMap<>();
		for (int i = 0; i < nameValues.length; i += 2) {
			claims.put((String) nameValues[i], nameValues[i + 1]);
		}
		return claims;
	}

	/** A JWT signed with an RSA key, header {"alg":…,"typ":"JWT"} as jwt-go writes it. */
	public static String rsaJwt(JWSAlgorithm alg, KeyPair pair, Map<String, Object> claims) {
		return rsaJwt(alg, (RSAPrivateKey) pair.getPrivate(), JSONObjectUtils.toJSONString(claims));
	}

	public static String rsaJwt(JWSAlgorithm alg, RSAPrivateKey key, String payloadJson) {
		try {
			JWSObject jws = new JWSObject(new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).build(),
					new Payload(payloadJson));
			jws.sign(new RSASSASigner(key));
			return jws.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * HS256 keyed with the given bytes (the classic "public key as HMAC secret" attack).
	 */
	public static String hmacJwt(byte[] secret, Map<String, Object> claims) {
		try {
			JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
					new Payload(JSONObjectUtils.toJSONString(claims)));
			jws.sign(new MACSigner(secret));
			return jws.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An unsecured JWT: {"alg":"none","typ":"JWT"}, empty signature. */
	public static String noneJwt(Map<String, Object> claims) {
		return Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
				+ Base64URL.encode(JSONObjectUtils.toJSONString(claims)) + ".";
	}

	/** Replaces the payload of a signed JWT, keeping header and signature. */
	public static String withPayload(String jwt, Map<String, Object> claims) {
		String[] parts = jwt.split("\\.");
		return parts[0] + "." + Base64URL.encode(JSONObjectUtils.toJSONString(claims)) + "." + parts[2];
	}

	/** A clock that tests move by hand. */
	public static final class MutableClock extends Clock {

		private final AtomicLong millis;

		public MutableClock(long epochSeconds) {
			this.millis = new AtomicLong(epochSeconds * 1000);
		}

		public void advanceSeconds(long seconds) {
			this.millis.addAndGet(seconds * 1000);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public long millis() {
			return this.millis.get();
		}

		@Override
		public Instant instant() {
			return Instant.ofEpochMilli(millis());
		}

	}

}
