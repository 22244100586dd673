package dev.kite.kontrol.store;

/**
 * A key pair as found in a {@link KeyPairStore}, with whether it was deleted. Deleted
 * pairs are kept (Go deletes softly) so that a kite still holding a deleted public key
 * can be re-keyed on {@code register} (PROTOCOL §6.8).
 *
 * @param pair the key pair
 * @param deleted whether the pair was deleted
 */
public record StoredKeyPair(KontrolKeyPair pair, boolean deleted) {
}
