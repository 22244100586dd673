package dev.kite.interop;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * A Kontrol key pair made for one test run: mints tokens the way Go Kontrol's
 * {@code getKites} does (RS256, single-string {@code aud}, {@code iat}/{@code nbf}
 * backdated five minutes).
 */
public final class TestKontrol {

	/**
	 * Kontrol's username, the tokens' issuer: the sample app's embedded Kontrol's too
	 * ({@code kite.username}), so the app trusts this key beside its Kontrol's.
	 */
	public static final String ISSUER = SampleApp.USERNAME;

	private final KeyPair keys;

	public TestKontrol() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			this.keys = generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The public key in PKIX PEM form, as Go writes it. */
	public String publicKeyPem() {
		return "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(this.keys.getPublic().getEncoded())
				+ "\n-----END PUBLIC KEY-----";
	}

	/**
	 * A token for calling kites of {@code audience}.
	 * @param subject the caller's username
	 * @param audience e.g. {@code /interop/test/math}
	 * @param validFor how long from now it is valid
	 * @return the compact JWT
	 */
	public String token(String subject, String audience, Duration validFor) {
		Instant issued = Instant.now().minusSeconds(300);
		JWTClaimsSet claims = new JWTClaimsSet.Builder().audience(audience)
			.expirationTime(Date.from(Instant.now().plus(validFor)))
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(issued))
			.issuer(ISSUER)
			.notBeforeTime(Date.from(issued))
			.subject(subject)
			.build();
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
					claims);
			jwt.sign(new RSASSASigner((RSAPrivateKey) this.keys.getPrivate()));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
