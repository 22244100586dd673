package dev.kite.auth.key;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Reads an RSA public key from PEM text as jwt-go's {@code ParseRSAPublicKeyFromPEM}
 * does: the first PEM block, as a PKIX {@code PUBLIC KEY} or, failing that, an X.509
 * certificate.
 *
 * <p>
 * Stateless and thread-safe.
 */
public final class RsaPem {

	/**
	 * jwt-go's {@code ErrKeyMustBePEMEncoded} (its wording says "private" even for public
	 * keys).
	 */
	public static final String NOT_PEM = "Invalid Key: Key must be PEM encoded PKCS1 or PKCS8 private key";

	/** jwt-go's {@code ErrNotRSAPublicKey}. */
	public static final String NOT_RSA = "Key is not a valid RSA public key";

	/** Our wording where Go would print an ASN.1 parse error. */
	public static final String UNPARSABLE = "x509: failed to parse public key";

	private RsaPem() {
	}

	/** Thrown with a Go-style reason when the PEM text is not an RSA public key. */
	public static final class InvalidPemException extends Exception {

		private static final long serialVersionUID = 1L;

		InvalidPemException(String message) {
			super(message, null, false, false);
		}

	}

	/**
	 * @param pem PEM text; anything before the first {@code -----BEGIN} line is ignored,
	 * as Go does
	 * @return the key
	 * @throws InvalidPemException with jwt-go's reason
	 */
	public static RSAPublicKey parsePublicKey(String pem) throws InvalidPemException {
		byte[] der = firstBlock(pem);
		PublicKey key;
		try {
			key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
		}
		catch (GeneralSecurityException | RuntimeException notRsaPkix) {
			key = otherPublicKey(der);
		}
		if (key instanceof RSAPublicKey rsa) {
			return rsa;
		}
		throw new InvalidPemException(NOT_RSA);
	}

	private static PublicKey otherPublicKey(byte[] der) throws InvalidPemException {
		for (String algorithm : new String[] { "EC", "Ed25519", "DSA" }) {
			try {
				return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
			}
			catch (GeneralSecurityException | RuntimeException ex) {
				// try the next
			}
		}
		try {
			return CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(der))
				.getPublicKey();
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			throw new InvalidPemException(UNPARSABLE);
		}
	}

	private static byte[] firstBlock(String pem) throws InvalidPemException {
		int begin = pem.indexOf("-----BEGIN ");
		if (begin < 0) {
			throw new InvalidPemException(NOT_PEM);
		}
		int beginEnd = pem.indexOf("-----", begin + 11);
		if (beginEnd < 0) {
			throw new InvalidPemException(NOT_PEM);
		}
		int bodyStart = pem.indexOf('\n', beginEnd);
		int end = pem.indexOf("-----END ", beginEnd);
		if (bodyStart < 0 || end < 0 || end < bodyStart) {
			throw new InvalidPemException(NOT_PEM);
		}
		String body = pem.substring(bodyStart + 1, end);
		if (body.contains(":")) {
			// PEM headers (Proc-Type and friends): skip to the blank line that ends them.
			int blank = body.indexOf("\n\n");
			body = (blank >= 0) ? body.substring(blank + 2) : body;
		}
		try {
			return Base64.getMimeDecoder().decode(body.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidPemException(NOT_PEM);
		}
	}

}
