package dev.kite.kontrol.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the Go Kontrol's PostgreSQL schema when it is missing: schema {@code kite},
 * tables {@code kite.key} and {@code kite.kite} with Go's columns, types, constraints and
 * index names ({@code 002-table.sql} and the {@code 003-migration-*} files of
 * {@code koding/kite}).
 *
 * <p>
 * Every statement is {@code CREATE ... IF NOT EXISTS}: whatever exists, for example a
 * schema a Go Kontrol created, is left exactly as it is, never dropped, altered or
 * rewritten. Go's role and grants ({@code 001-schema.sql}) are the database
 * administrator's business and are not created. The statements run in one transaction
 * under a transaction-scoped advisory lock, so Kontrol instances starting together do not
 * race.
 *
 * <p>
 * Go's {@code kite.key.id} defaults to {@code uuid_generate_v4()} from the
 * {@code uuid-ossp} extension. The extension is created when the database allows it;
 * otherwise the default is PostgreSQL's built-in {@code gen_random_uuid()} (PostgreSQL
 * 13+). Neither Kontrol relies on the default: both insert their own ids.
 */
public final class KontrolSchema {

	private static final Logger logger = LoggerFactory.getLogger(KontrolSchema.class);

	/** Arbitrary, fixed key of the advisory lock that serializes schema creation. */
	private static final long LOCK_KEY = 0x6b6974655f6b6fL; // "kite_ko"

	private static final String KEY_TABLE = """
			CREATE TABLE IF NOT EXISTS "kite"."key" (
			    id UUID NOT NULL DEFAULT %s,
			    public TEXT NOT NULL COLLATE "default",
			    private TEXT NOT NULL COLLATE "default",
			    created_at timestamp(6) WITH TIME ZONE NOT NULL DEFAULT (NOW() AT TIME ZONE 'UTC'),
			    deleted_at timestamp(6) WITH TIME ZONE,
			    PRIMARY KEY ("id") NOT DEFERRABLE INITIALLY IMMEDIATE,
			    CONSTRAINT "key_public_unique" UNIQUE ("public") NOT DEFERRABLE INITIALLY IMMEDIATE,
			    CONSTRAINT "key_private_unique" UNIQUE ("private") NOT DEFERRABLE INITIALLY IMMEDIATE,
			    CONSTRAINT "key_created_at_lte_deleted_at_check" CHECK (created_at <= deleted_at)
			)""";

	private static final String KITE_TABLE = """
			CREATE UNLOGGED TABLE IF NOT EXISTS "kite"."kite" (
			    username TEXT NOT NULL,
			    environment TEXT NOT NULL,
			    kitename TEXT NOT NULL,
			    version TEXT NOT NULL,
			    region TEXT NOT NULL,
			    hostname TEXT NOT NULL,
			    id uuid PRIMARY KEY,
			    url TEXT NOT NULL,
			    created_at timestamptz NOT NULL DEFAULT (NOW() AT TIME ZONE 'UTC'),
			    updated_at timestamptz NOT NULL DEFAULT (NOW() AT TIME ZONE 'UTC'),
			    key_id UUID NOT NULL,
			    CONSTRAINT "kite_key_id_fkey" FOREIGN KEY ("key_id") REFERENCES kite.key (id)
			        ON UPDATE NO ACTION ON DELETE NO ACTION NOT DEFERRABLE INITIALLY IMMEDIATE
			)""";

	private static final List<String> INDEXES = List.of(
			"CREATE INDEX IF NOT EXISTS \"kite_key_public_idx\" ON \"kite\".\"key\" USING btree(public)",
			"CREATE INDEX IF NOT EXISTS \"kite_key_deleted_at_public_idx\" ON \"kite\".\"key\""
					+ " USING btree(deleted_at DESC NULLS FIRST, public)",
			"CREATE INDEX IF NOT EXISTS kite_updated_at_btree_idx ON \"kite\".\"kite\" USING BTREE (updated_at DESC)");

	private KontrolSchema() {
	}

	/**
	 * Creates whatever part of the Kontrol schema is missing; harmless when it all
	 * exists.
	 * @param dataSource the database; its user needs the {@code CREATE} privilege on the
	 * database (or the schema to exist already)
	 * @throws IllegalStateException if the schema cannot be created
	 */
	public static void createIfMissing(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
				statement.execute("CREATE SCHEMA IF NOT EXISTS kite");
				statement.execute(String.format(KEY_TABLE, uuidDefault(connection, statement)));
				statement.execute(KITE_TABLE);
				for (String index : INDEXES) {
					statement.execute(index);
				}
				connection.commit();
			}
			catch (SQLException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create the Kontrol schema: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Go's default ({@code uuid_generate_v4()}) when the {@code uuid-ossp} extension
	 * exists or can be created, else the built-in {@code gen_random_uuid()}.
	 */
	private static String uuidDefault(Connection connection, Statement statement) throws SQLException {
		Savepoint savepoint = connection.setSavepoint();
		try {
			statement.execute("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\"");
			connection.releaseSavepoint(savepoint);
			return "uuid_generate_v4()";
		}
		catch (SQLException ex) {
			connection.rollback(savepoint);
			logger.info("Extension uuid-ossp unavailable ({}); kite.key ids default to gen_random_uuid()",
					ex.getMessage());
			return "gen_random_uuid()";
		}
	}

}
