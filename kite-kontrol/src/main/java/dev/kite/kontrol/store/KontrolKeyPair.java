package dev.kite.kontrol.store;

import java.util.Objects;

/**
 * One of Kontrol's RSA key pairs, as Go stores it: a UUID id and both keys as PEM text.
 * Tokens are signed with the private key; kites trust the public one (the
 * {@code kontrolKey} claim of their kite keys).
 *
 * @param id the pair's id (a UUID string)
 * @param publicKey the public key, PEM ({@code -----BEGIN PUBLIC KEY-----})
 * @param privateKey the private key, PEM (PKCS#1 or PKCS#8)
 */
public record KontrolKeyPair(String id, String publicKey, String privateKey) {

	public KontrolKeyPair {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(publicKey, "publicKey");
		Objects.requireNonNull(privateKey, "privateKey");
	}

	@Override
	public String toString() {
		return "KontrolKeyPair[id=" + this.id + "]"; // never the private key
	}

}
