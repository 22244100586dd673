package dev.kite.kontrol;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.UUID;

import dev.kite.kontrol.store.KontrolKeyPair;

/**
 * Kontrol's RSA key pairs as PEM text, in the formats Go reads (PROTOCOL §4.9): the
 * public key PKIX ({@code -----BEGIN PUBLIC KEY-----}), the private key PKCS#8
 * ({@code -----BEGIN PRIVATE KEY-----}, what OpenSSL 3 writes); PKCS#1
 * ({@code -----BEGIN RSA PRIVATE KEY-----}) private keys are read too.
 *
 * <p>
 * Stateless and thread-safe.
 */
public final class KontrolKeys {

	/**
	 * The RSA modulus length of generated pairs (Go's documented {@code genrsa 2048}).
	 */
	public static final int KEY_SIZE = 2048;

	/**
	 * {@code SEQUENCE { INTEGER 0, SEQUENCE { OID rsaEncryption, NULL } }}: what a PKCS#1
	 * key needs in front to become PKCS#8.
	 */
	private static final byte[] RSA_ALGORITHM_IDENTIFIER = { 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a,
			(byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00 };

	private KontrolKeys() {
	}

	/**
	 * Generates a new RSA 2048 key pair with a random UUID id. The public PEM has no
	 * trailing newline: kites compare it as an exact string, and Go's Kontrol trims the
	 * key it puts into kite keys.
	 * @return the pair
	 */
	public static KontrolKeyPair generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(KEY_SIZE);
			KeyPair pair = generator.generateKeyPair();
			return new KontrolKeyPair(UUID.randomUUID().toString(), pem("PUBLIC KEY", pair.getPublic().getEncoded()),
					pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("RSA key generation is not available", ex);
		}
	}

	/**
	 * Reads an RSA private key as jwt-go's {@code ParseRSAPrivateKeyFromPEM} does: the
	 * first PEM block, PKCS#1 or PKCS#8.
	 * @param pem the PEM text
	 * @return the key
	 * @throws IllegalArgumentException when the text is not an RSA private key
	 */
	public static RSAPrivateKey parsePrivateKey(String pem) {
		int begin = pem.indexOf("-----BEGIN ");
		int labelEnd = (begin >= 0) ? pem.indexOf("-----", begin + 11) : -1;
		int end = (labelEnd >= 0) ? pem.indexOf("-----END ", labelEnd) : -1;
		if (end < 0) {
			throw new IllegalArgumentException("Invalid Key: Key must be PEM encoded PKCS1 or PKCS8 private key");
		}
		String label = pem.substring(begin + 11, labelEnd);
		byte[] der;
		try {
			der = Base64.getMimeDecoder().decode(pem.substring(labelEnd + 5, end).strip());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Invalid Key: Key must be PEM encoded PKCS1 or PKCS8 private key");
		}
		if (label.equals("RSA PRIVATE KEY")) {
			der = pkcs1ToPkcs8(der);
		}
		try {
			if (KeyFactory.getInstance("RSA")
				.generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof RSAPrivateKey key) {
				return key;
			}
		}
		catch (GeneralSecurityException ex) {
			// fall through to the message below
		}
		throw new IllegalArgumentException("Key is not a valid RSA private key");
	}

	/** PEM text of DER bytes: 64 characters a line, no trailing newline. */
	static String pem(String label, byte[] der) {
		String body = Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der);
		return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----";
	}

	private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
		byte[] octetString = concat(new byte[] { 0x04 }, derLength(pkcs1.length), pkcs1);
		byte[] content = concat(RSA_ALGORITHM_IDENTIFIER, octetString);
		return concat(new byte[] { 0x30 }, derLength(content.length), content);
	}

	private static byte[] derLength(int length) {
		if (length < 0x80) {
			return new byte[] { (byte) length };
		}
		if (length < 0x100) {
			return new byte[] { (byte) 0x81, (byte) length };
		}
		if (length < 0x10000) {
			return new byte[] { (byte) 0x82, (byte) (length >> 8), (byte) length };
		}
		return new byte[] { (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length };
	}

	private static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		byte[] result = new byte[length];
		int offset = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, result, offset, part.length);
			offset += part.length;
		}
		return result;
	}

}
