package dev.kite.kontrol.store.memory;

import dev.kite.kontrol.store.KeyPairStore;
import dev.kite.kontrol.store.KeyPairStoreContractTests;

/**
 * {@link KeyPairStoreContractTests} on {@link InMemoryKeyPairStore}.
 */
class InMemoryKeyPairStoreTests extends KeyPairStoreContractTests {

	// JUnit creates an instance per test: a fresh store each time
	private final InMemoryKeyPairStore store = new InMemoryKeyPairStore();

	@Override
	protected KeyPairStore store() {
		return this.store;
	}

}
