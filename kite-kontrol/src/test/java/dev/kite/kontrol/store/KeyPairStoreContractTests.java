package dev.kite.kontrol.store;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The contract of {@link KeyPairStore}, run against every implementation.
 */
public abstract class KeyPairStoreContractTests {

	/**
	 * The store under test, empty at the start of each test; the same instance for the
	 * whole test.
	 */
	protected abstract KeyPairStore store();

	protected static KontrolKeyPair newPair() {
		String id = UUID.randomUUID().toString();
		return new KontrolKeyPair(id, "-----BEGIN PUBLIC KEY-----\n" + id + "\n-----END PUBLIC KEY-----\n",
				"-----BEGIN PRIVATE KEY-----\n" + id + "\n-----END PRIVATE KEY-----\n");
	}

	@Test
	void addedPairIsFoundByIdAndByPublicKey() {
		KontrolKeyPair pair = newPair();
		store().add(pair);
		assertThat(store().findById(pair.id())).contains(new StoredKeyPair(pair, false));
		assertThat(store().findByPublicKey(pair.publicKey())).contains(new StoredKeyPair(pair, false));
	}

	@Test
	void unknownPairIsNotFound() {
		store().add(newPair());
		assertThat(store().findById(UUID.randomUUID().toString())).isEmpty();
		assertThat(store().findByPublicKey(newPair().publicKey())).isEmpty();
	}

	@Test
	void publicKeyIsComparedExactly() {
		KontrolKeyPair pair = newPair();
		store().add(pair);
		assertThat(store().findByPublicKey(pair.publicKey().trim())).isEmpty();
		assertThat(store().findByPublicKey(pair.publicKey().toLowerCase())).isEmpty();
	}

	@Test
	void addingTakenIdFails() {
		KontrolKeyPair pair = newPair();
		store().add(pair);
		KontrolKeyPair other = newPair();
		assertThatIllegalStateException()
			.isThrownBy(() -> store().add(new KontrolKeyPair(pair.id(), other.publicKey(), other.privateKey())));
		assertThat(store().findByPublicKey(other.publicKey())).isEmpty();
	}

	@Test
	void addingTakenPublicKeyFails() {
		KontrolKeyPair pair = newPair();
		store().add(pair);
		KontrolKeyPair other = newPair();
		assertThatIllegalStateException()
			.isThrownBy(() -> store().add(new KontrolKeyPair(other.id(), pair.publicKey(), other.privateKey())));
		assertThat(store().findById(other.id())).isEmpty();
		assertThat(store().findByPublicKey(pair.publicKey())).contains(new StoredKeyPair(pair, false));
	}

	@Test
	void deleteIsSoft() {
		KontrolKeyPair pair = newPair();
		KontrolKeyPair kept = newPair();
		store().add(pair);
		store().add(kept);
		assertThat(store().delete(pair.id())).isTrue();
		assertThat(store().findById(pair.id())).contains(new StoredKeyPair(pair, true));
		assertThat(store().findByPublicKey(pair.publicKey())).contains(new StoredKeyPair(pair, true));
		assertThat(store().findById(kept.id())).contains(new StoredKeyPair(kept, false));
	}

	@Test
	void deletingTwiceOrUnknownReturnsFalse() {
		KontrolKeyPair pair = newPair();
		store().add(pair);
		assertThat(store().delete(pair.id())).isTrue();
		assertThat(store().delete(pair.id())).isFalse();
		assertThat(store().delete(UUID.randomUUID().toString())).isFalse();
	}

	@Test
	void deletedPairKeepsItsIdAndPublicKeyTaken() {
		KontrolKeyPair pair = newPair();
		store().add(pair);
		store().delete(pair.id());
		KontrolKeyPair other = newPair();
		assertThatIllegalStateException()
			.isThrownBy(() -> store().add(new KontrolKeyPair(pair.id(), other.publicKey(), other.privateKey())));
		assertThatIllegalStateException()
			.isThrownBy(() -> store().add(new KontrolKeyPair(other.id(), pair.publicKey(), other.privateKey())));
	}

}
