package dev.kite.kontrol.store.jdbc;

import java.io.IOException;
import java.util.UUID;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kite.kontrol.store.KeyPairStore;
import dev.kite.kontrol.store.KeyPairStoreContractTests;
import dev.kite.kontrol.store.KontrolKeyPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link KeyPairStoreContractTests} on {@link PostgresKeyPairStore}, on a real
 * PostgreSQL.
 */
class PostgresKeyPairStoreTests extends KeyPairStoreContractTests {

	private static EmbeddedPostgres postgres;

	private static DataSource dataSource;

	private PostgresKeyPairStore store;

	@BeforeAll
	static void startPostgres() throws IOException {
		postgres = EmbeddedPostgres.builder().start();
		dataSource = postgres.getPostgresDatabase();
		KontrolSchema.createIfMissing(dataSource);
	}

	@AfterAll
	static void stopPostgres() throws IOException {
		postgres.close();
	}

	@BeforeEach
	void createStore() {
		JdbcClient.create(dataSource).sql("TRUNCATE kite.kite, kite.key").update();
		this.store = new PostgresKeyPairStore(dataSource);
	}

	@Override
	protected KeyPairStore store() {
		return this.store;
	}

	@Test
	void nonUuidIdIsRejectedNamingTheId() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.store.add(new KontrolKeyPair("key-1", "public", "private")))
			.withMessageContaining("'key-1'");
		assertThat(this.store.findById("key-1")).isEmpty();
		assertThat(this.store.delete("key-1")).isFalse();
	}

	@Test
	void keyWhoseCreationTimeIsAheadCanBeDeleted() {
		// What a Go Kontrol whose session time zone is west of UTC writes with its
		// default NOW() AT TIME ZONE 'UTC'; the table checks created_at <= deleted_at
		String id = UUID.randomUUID().toString();
		JdbcClient.create(dataSource)
			.sql("INSERT INTO kite.key (id, public, private, created_at) VALUES (?::uuid, 'p', 's', now() + interval '5 hours')")
			.param(id)
			.update();
		assertThat(this.store.delete(id)).isTrue();
		assertThat(this.store.findById(id)).hasValueSatisfying((stored) -> assertThat(stored.deleted()).isTrue());
	}

	@Test
	void takenPrivateKeyFailsAsInGoSchema() {
		KontrolKeyPair pair = newPair();
		this.store.add(pair);
		assertThatIllegalStateException().isThrownBy(() -> this.store
			.add(new KontrolKeyPair(UUID.randomUUID().toString(), "another public key", pair.privateKey())));
	}

	@Test
	void deleteSetsDeletedAtAndKeepsTheRow() {
		KontrolKeyPair pair = newPair();
		this.store.add(pair);
		this.store.delete(pair.id());
		assertThat(JdbcClient.create(dataSource)
			.sql("SELECT count(*) FROM kite.key WHERE id = ?::uuid AND deleted_at IS NOT NULL AND deleted_at >= created_at")
			.param(pair.id())
			.query(Integer.class)
			.single()).isOne();
	}

}
