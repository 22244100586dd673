package dev.kite.kontrol.store.jdbc;

import java.io.IOException;
import java.util.UUID;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kite.kontrol.store.KiteStore;
import dev.kite.kontrol.store.KiteStoreContractTests;
import dev.kite.kontrol.store.KontrolKeyPair;
import dev.kite.protocol.Kite;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link KiteStoreContractTests} on {@link PostgresKiteStore}, on a real PostgreSQL.
 */
class PostgresKiteStoreTests extends KiteStoreContractTests {

	private static EmbeddedPostgres postgres;

	private static DataSource dataSource;

	private PostgresKiteStore store;

	private PostgresKeyPairStore keyPairs;

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
		this.store = new PostgresKiteStore(dataSource);
		this.keyPairs = new PostgresKeyPairStore(dataSource);
	}

	@AfterEach
	void closeStore() {
		this.store.close();
	}

	@Override
	protected KiteStore store() {
		return this.store;
	}

	@Override
	protected String addKeyPair() {
		String id = UUID.randomUUID().toString();
		this.keyPairs.add(new KontrolKeyPair(id, "public " + id, "private " + id));
		return id;
	}

	@Test
	void upsertOfNonUuidIdIsRejectedNamingTheId() {
		String key = addKeyPair();
		Kite kite = new Kite("math", "devrim", "not-a-uuid", "production", "eu", "1.0.0", "host-1");
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.upsert(kite, "http://a/kite", key, T0))
			.withMessageContaining("'not-a-uuid'");
	}

}
