package dev.kite.kontrol.store.memory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.kite.kontrol.store.KeyPairStore;
import dev.kite.kontrol.store.KontrolKeyPair;
import dev.kite.kontrol.store.StoredKeyPair;

/**
 * A {@link KeyPairStore} held in memory, for one Kontrol instance. Deletes are soft, as
 * with Go's PostgreSQL backend: a deleted pair stays findable, flagged deleted.
 *
 * <p>
 * Threads: every method may be called from any thread; the pairs are guarded by one
 * monitor.
 */
public class InMemoryKeyPairStore implements KeyPairStore {

	private final Object monitor = new Object();

	/** Pairs by id; guarded by {@link #monitor}. */
	private final Map<String, StoredKeyPair> byId = new HashMap<>();

	/** Pairs by public key PEM; guarded by {@link #monitor}. */
	private final Map<String, StoredKeyPair> byPublicKey = new HashMap<>();

	@Override
	public void add(KontrolKeyPair pair) {
		Objects.requireNonNull(pair, "pair");
		synchronized (this.monitor) {
			if (this.byId.containsKey(pair.id())) {
				throw new IllegalStateException("A key pair with id " + pair.id() + " exists");
			}
			if (this.byPublicKey.containsKey(pair.publicKey())) {
				throw new IllegalStateException("A key pair with the public key of " + pair.id() + " exists");
			}
			StoredKeyPair stored = new StoredKeyPair(pair, false);
			this.byId.put(pair.id(), stored);
			this.byPublicKey.put(pair.publicKey(), stored);
		}
	}

	@Override
	public Optional<StoredKeyPair> findById(String id) {
		synchronized (this.monitor) {
			return Optional.ofNullable(this.byId.get(id));
		}
	}

	@Override
	public Optional<StoredKeyPair> findByPublicKey(String publicKey) {
		synchronized (this.monitor) {
			return Optional.ofNullable(this.byPublicKey.get(publicKey));
		}
	}

	@Override
	public boolean delete(String id) {
		synchronized (this.monitor) {
			StoredKeyPair stored = this.byId.get(id);
			if (stored == null || stored.deleted()) {
				return false;
			}
			StoredKeyPair deleted = new StoredKeyPair(stored.pair(), true);
			this.byId.put(id, deleted);
			this.byPublicKey.put(stored.pair().publicKey(), deleted);
			return true;
		}
	}

}
