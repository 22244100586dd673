package dev.kite.auth.trust;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.RsaPem;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a kite trusts in a token (PROTOCOL §4.4–4.5): the issuer name Kontrol signs as
 * ({@code Config.KontrolUser}, the {@code iss} of the kite's own kite key) and the
 * Kontrol public keys whose signatures count ({@code Config.KontrolKey}). Go has one key;
 * several are allowed here so that a rotation can overlap.
 *
 * <p>
 * Immutable and thread-safe. A {@link dev.kite.auth.provider.TokenAuthenticationProvider}
 * remembers which instance it verified a token with; hand it the same instance while
 * nothing changes (an {@code AtomicReference<KontrolTrust>::get} is the usual supplier)
 * and a new one on rotation.
 *
 * @param kontrolUser the only accepted {@code iss}
 * @param kontrolKeys the accepted signing keys; when empty, token verification fails as
 * Go's does when no Kontrol key is configured
 */
public record KontrolTrust(String kontrolUser, List<RSAPublicKey> kontrolKeys) {

	public KontrolTrust {
		kontrolKeys = List.copyOf(kontrolKeys);
	}

	/**
	 * @param kontrolUser the only accepted {@code iss}
	 * @param pems the Kontrol public keys in PEM form
	 * @return the trust
	 * @throws IllegalArgumentException when a PEM is not an RSA public key
	 */
	public static KontrolTrust of(String kontrolUser, Collection<String> pems) {
		List<RSAPublicKey> keys = new ArrayList<>();
		for (String pem : pems) {
			try {
				keys.add(RsaPem.parsePublicKey(pem));
			}
			catch (RsaPem.InvalidPemException ex) {
				throw new IllegalArgumentException("Invalid Kontrol public key: " + ex.getMessage());
			}
		}
		return new KontrolTrust(kontrolUser, keys);
	}

	/**
	 * The trust a kite takes from its own kite key: {@code iss} and {@code kontrolKey}.
	 * @param kiteKey the kite's key
	 * @return the trust (with no key when the kite key has no {@code kontrolKey})
	 * @throws IllegalArgumentException when {@code kontrolKey} is not an RSA public key
	 */
	public static KontrolTrust fromKiteKey(KiteKey kiteKey) {
		return of(kiteKey.kontrolUser(), kiteKey.kontrolKey().isEmpty() ? List.of() : List.of(kiteKey.kontrolKey()));
	}

}
