package dev.kite.kontrol.store.memory;

import java.util.UUID;

import dev.kite.kontrol.store.KiteStore;
import dev.kite.kontrol.store.KiteStoreContractTests;

/**
 * {@link KiteStoreContractTests} on {@link InMemoryKiteStore}.
 */
class InMemoryKiteStoreTests extends KiteStoreContractTests {

	// JUnit creates an instance per test: a fresh store each time
	private final InMemoryKiteStore store = new InMemoryKiteStore();

	@Override
	protected KiteStore store() {
		return this.store;
	}

	@Override
	protected String addKeyPair() {
		// the in-memory store does not check key ids
		return UUID.randomUUID().toString();
	}

}
