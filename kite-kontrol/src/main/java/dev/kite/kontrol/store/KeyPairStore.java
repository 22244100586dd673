package dev.kite.kontrol.store;

import java.util.Optional;

/**
 * Kontrol's key pairs (Go's {@code kite.key} table). Implementations are thread-safe.
 */
public interface KeyPairStore {

	/**
	 * Adds a key pair; adding a pair whose id or public key is already stored fails.
	 * @param pair the pair to add
	 * @throws IllegalStateException if the id or public key is taken
	 */
	void add(KontrolKeyPair pair);

	/**
	 * Finds a pair by id, deleted or not.
	 * @param id the pair's id
	 * @return the pair, or empty when no pair has that id
	 */
	Optional<StoredKeyPair> findById(String id);

	/**
	 * Finds a pair by its public key (PEM, compared exactly), deleted or not.
	 * @param publicKey the public key PEM
	 * @return the pair, or empty when no pair has that public key
	 */
	Optional<StoredKeyPair> findByPublicKey(String publicKey);

	/**
	 * Marks a pair deleted (soft: it stays findable, flagged
	 * {@link StoredKeyPair#deleted()}).
	 * @param id the pair's id
	 * @return whether a pair that was not yet deleted was deleted
	 */
	boolean delete(String id);

}
