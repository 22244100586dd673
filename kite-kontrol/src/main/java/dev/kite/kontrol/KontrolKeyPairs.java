package dev.kite.kontrol;

import java.util.Optional;

import dev.kite.auth.jwt.GoJwt;
import dev.kite.kontrol.store.KeyPairStore;
import dev.kite.kontrol.store.KontrolKeyPair;
import dev.kite.kontrol.store.StoredKeyPair;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which key pair signs what (PROTOCOL §6.8): the self pair (re-keying, machine keys), the
 * pair a kite key names, and the pair of a registration. Deleted pairs are still
 * recognised, so that a kite holding one is re-keyed instead of refused.
 *
 * <p>
 * Thread-safe: immutable; the store is thread-safe.
 */
final class KontrolKeyPairs {

	/** Go's message when no usable pair is found. */
	static final String NO_VALID_KEY = "no valid authentication key found";

	private static final Logger logger = LoggerFactory.getLogger(KontrolKeyPairs.class);

	private final KeyPairStore store;

	private final KontrolKeyPair self;

	private final KontrolTokens tokens;

	/**
	 * Stores the self pair unless it (or its public key) is stored already.
	 */
	KontrolKeyPairs(KeyPairStore store, KontrolKeyPair self, KontrolTokens tokens) {
		this.store = store;
		this.tokens = tokens;
		Optional<StoredKeyPair> stored = store.findByPublicKey(self.publicKey());
		if (stored.isEmpty()) {
			store.add(self);
			this.self = self;
		}
		else {
			// The same key stored earlier (maybe under another id, by another Kontrol
			// sharing the store): its id is the one records refer to.
			this.self = stored.get().pair();
			if (stored.get().deleted()) {
				logger.warn("Kontrol's own key pair {} is marked deleted in the key store", this.self.id());
			}
		}
	}

	KontrolKeyPair self() {
		return this.self;
	}

	/** Whether a public key belongs to a stored pair, deleted or not (kite key trust). */
	boolean isKnown(String publicKey) {
		return this.store.findByPublicKey(publicKey).isPresent();
	}

	/**
	 * The pair for a registering kite's kite key: its own pair when valid; the self pair
	 * when deleted, with a re-signed kite key and the new public key.
	 */
	Resolution forKiteKey(GoJwt kiteKey) {
		Optional<StoredKeyPair> stored = kiteKey.kontrolKey.isEmpty() ? Optional.empty()
				: this.store.findByPublicKey(kiteKey.kontrolKey);
		if (stored.isEmpty()) {
			throw noValidKey();
		}
		if (!stored.get().deleted()) {
			KontrolKeyPair pair = stored.get().pair();
			return new Resolution(pair, "", pair.publicKey().equals(kiteKey.kontrolKey) ? "" : pair.publicKey());
		}
		return new Resolution(this.self, this.tokens.rekey(kiteKey, this.self), this.self.publicKey());
	}

	/** {@code getKey}: the same key when valid, the self key when deleted. */
	KontrolKeyPair forPublicKey(String publicKey) {
		StoredKeyPair stored = this.store.findByPublicKey(publicKey).orElseThrow(KontrolKeyPairs::noValidKey);
		return stored.deleted() ? this.self : stored.pair();
	}

	/** The pair that signs tokens for a record: its own, or the self pair if deleted. */
	KontrolKeyPair forRecord(String keyId) {
		StoredKeyPair stored = this.store.findById(keyId)
			.orElseThrow(() -> new KiteException(KiteErrorTypes.GENERIC_ERROR, "no key pair found"));
		return stored.deleted() ? this.self : stored.pair();
	}

	static KiteException noValidKey() {
		return new KiteException(KiteErrorTypes.GENERIC_ERROR, NO_VALID_KEY);
	}

	/**
	 * @param pair the pair the registration uses
	 * @param kiteKey a re-signed kite key for the caller, or empty
	 * @param publicKey the pair's public key when it differs from the caller's, or empty
	 */
	record Resolution(KontrolKeyPair pair, String kiteKey, String publicKey) {
	}

}
