package dev.kite.kontrol.server;

import java.io.IOException;
import java.nio.file.Path;

import dev.kite.kontrol.Kontrol;
import dev.kite.kontrol.store.KeyPairStore;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.kontrol.store.jdbc.PostgresKeyPairStore;
import dev.kite.kontrol.store.jdbc.PostgresKiteStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone application with {@code kite.kontrol.server.storage=postgres} and
 * {@code spring.datasource.*} pointing at a real PostgreSQL, as the README's example
 * configures it: Kontrol's records and key pairs live in the Go Kontrol's schema.
 */
@SpringBootTest(classes = KontrolServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "server.port=0", "kite.kontrol.server.storage=postgres" })
class KontrolServerOnPostgresTests {

	private static final EmbeddedPostgres postgres = start();

	@TempDir
	static Path keyDir;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("kite.kontrol.server.key-dir", () -> keyDir.toString());
		registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
		registry.add("spring.datasource.username", () -> "postgres");
	}

	@AfterAll
	static void stop() throws IOException {
		postgres.close();
	}

	@Autowired
	KiteStore store;

	@Autowired
	KeyPairStore keyPairs;

	@Autowired
	Kontrol kontrol;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void kontrolKeepsItsRegistryAndKeysInTheGoSchema() {
		assertThat(this.store).isInstanceOf(PostgresKiteStore.class);
		assertThat(this.keyPairs).isInstanceOf(PostgresKeyPairStore.class);
		assertThat(this.jdbc.queryForObject("SELECT public FROM kite.key WHERE id = ?::uuid", String.class,
				this.kontrol.selfKeyPair().id()))
			.isEqualTo(this.kontrol.selfKeyPair().publicKey());
		assertThat(this.jdbc.queryForObject("SELECT relpersistence FROM pg_class WHERE oid = 'kite.kite'::regclass",
				String.class))
			.as("kite.kite is UNLOGGED, as Go creates it")
			.isEqualTo("u");
	}

	private static EmbeddedPostgres start() {
		try {
			return EmbeddedPostgres.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start PostgreSQL", ex);
		}
	}

}
