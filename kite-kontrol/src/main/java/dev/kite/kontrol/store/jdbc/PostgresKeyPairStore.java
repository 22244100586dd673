package dev.kite.kontrol.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kite.kontrol.store.KeyPairStore;
import dev.kite.kontrol.store.KontrolKeyPair;
import dev.kite.kontrol.store.StoredKeyPair;

/**
 * A {@link KeyPairStore} on the Go Kontrol's {@code kite.key} table (PROTOCOL §6.12),
 * with Go's statements: pairs are inserted with their own id, and deleted softly by
 * setting {@code deleted_at}, so Go and Java Kontrols sharing the database agree on which
 * pairs are deleted. Rows are never removed.
 *
 * <p>
 * Threads: stateless apart from the {@link DataSource}; every method may be called from
 * any thread. The schema must exist (see {@link KontrolSchema#createIfMissing}).
 */
public class PostgresKeyPairStore implements KeyPairStore {

	private static final String SELECT = "SELECT id, public, private, deleted_at FROM kite.key";

	private final JdbcClient jdbc;

	/**
	 * Creates a store on the given database.
	 * @param dataSource the database holding the {@code kite} schema
	 */
	public PostgresKeyPairStore(DataSource dataSource) {
		this.jdbc = JdbcClient.create(Objects.requireNonNull(dataSource, "dataSource"));
	}

	@Override
	public void add(KontrolKeyPair pair) {
		KiteIds.requireUuid("Key pair id", pair.id());
		try {
			// created_at explicitly: Go's default (NOW() AT TIME ZONE 'UTC') is read back
			// in
			// the session's time zone, which pgjdbc sets to the JVM's
			this.jdbc.sql("INSERT INTO kite.key (id, public, private, created_at) VALUES (?::uuid, ?, ?, now())")
				.params(pair.id(), pair.publicKey(), pair.privateKey())
				.update();
		}
		catch (DuplicateKeyException ex) {
			// id, public or private: all three are unique in Go's table
			throw new IllegalStateException("A key pair with the id or keys of " + pair.id() + " exists", ex);
		}
	}

	@Override
	public Optional<StoredKeyPair> findById(String id) {
		if (!KiteIds.isUuid(id)) {
			return Optional.empty(); // cannot be in a uuid column
		}
		return this.jdbc.sql(SELECT + " WHERE id = ?::uuid").param(id).query(PostgresKeyPairStore::map).optional();
	}

	@Override
	public Optional<StoredKeyPair> findByPublicKey(String publicKey) {
		return this.jdbc.sql(SELECT + " WHERE public = ?").param(publicKey).query(PostgresKeyPairStore::map).optional();
	}

	@Override
	public boolean delete(String id) {
		if (!KiteIds.isUuid(id)) {
			return false;
		}
		// The table checks created_at <= deleted_at, and a Go Kontrol whose session time
		// zone is not UTC writes created_at shifted by its offset (its default is
		// NOW() AT TIME ZONE 'UTC'), possibly into the future: never go below it
		return this.jdbc.sql(
				"UPDATE kite.key SET deleted_at = GREATEST(now(), created_at) WHERE id = ?::uuid AND deleted_at IS NULL")
			.param(id)
			.update() > 0;
	}

	private static StoredKeyPair map(ResultSet rs, int row) throws SQLException {
		KontrolKeyPair pair = new KontrolKeyPair(rs.getString("id"), rs.getString("public"), rs.getString("private"));
		return new StoredKeyPair(pair, rs.getObject("deleted_at") != null);
	}

}
