package dev.kite.autoconfigure.security;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * A Kontrol key pair made for a test, minting tokens and kite keys the way Kontrol does.
 */
final class KontrolKeys {

	final KeyPair pair;

	final String publicPem;

	KontrolKeys() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			this.pair = generator.generateKeyPair();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		this.publicPem = "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(this.pair.getPublic().getEncoded())
				+ "\n-----END PUBLIC KEY-----";
	}

	/**
	 * A token for calling kites matching {@code audience}, as {@code getKites} returns
	 * it.
	 */
	String token(String subject, String audience, Instant expires) {
		Instant issued = Instant.now().minusSeconds(300);
		return sign(new JWTClaimsSet.Builder().audience(audience)
			.expirationTime(Date.from(expires))
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(issued))
			.issuer("kontrol")
			.notBeforeTime(Date.from(issued))
			.subject(subject)
			.build());
	}

	/** A kite key for {@code subject}, carrying this Kontrol's public key. */
	String kiteKey(String subject) {
		return sign(new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(Instant.now().minusSeconds(300)))
			.issuer("kontrol")
			.subject(subject)
			.claim("kontrolKey", this.publicPem)
			.claim("kontrolURL", "http://127.0.0.1:4000/kite")
			.build());
	}

	private String sign(JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
					claims);
			jwt.sign(new RSASSASigner((RSAPrivateKey) this.pair.getPrivate()));
			return jwt.serialize();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
