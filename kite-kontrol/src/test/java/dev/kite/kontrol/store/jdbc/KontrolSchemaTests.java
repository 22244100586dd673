package dev.kite.kontrol.store.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kite.kontrol.store.KiteRecord;
import dev.kite.kontrol.store.KiteStoreEvent;
import dev.kite.kontrol.store.KontrolKeyPair;
import dev.kite.kontrol.store.StoredKeyPair;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteEvent;
import dev.kite.protocol.KontrolQuery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link KontrolSchema} and the PostgreSQL stores on a real PostgreSQL: the schema
 * created twice, the schema as the Go Kontrol's own SQL creates it, and two store
 * instances on one database. Each test uses a database of its own.
 */
class KontrolSchemaTests {

	private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

	/**
	 * The Go Kontrol's DDL as its {@code 001-schema.sql}, {@code 002-table.sql} and
	 * {@code 003-migration-*.sql} run it (comments left out).
	 */
	private static final String GO_SCHEMA = """
			CREATE ROLE kontrol;
			CREATE USER kontrolapplication PASSWORD 'kontrolapplication';
			GRANT kontrol TO kontrolapplication;
			CREATE SCHEMA kite;
			GRANT USAGE ON SCHEMA kite TO kontrol;
			CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
			CREATE TABLE IF NOT EXISTS "kite"."key" (
			    id UUID NOT NULL DEFAULT uuid_generate_v4(),
			    public TEXT NOT NULL COLLATE "default",
			    private TEXT NOT NULL COLLATE "default",
			    created_at timestamp(6) WITH TIME ZONE NOT NULL DEFAULT (NOW() AT TIME ZONE 'UTC'),
			    deleted_at timestamp(6) WITH TIME ZONE,
			    PRIMARY KEY ("id") NOT DEFERRABLE INITIALLY IMMEDIATE,
			    CONSTRAINT "key_public_unique" UNIQUE ("public") NOT DEFERRABLE INITIALLY IMMEDIATE,
			    CONSTRAINT "key_private_unique" UNIQUE ("private") NOT DEFERRABLE INITIALLY IMMEDIATE,
			    CONSTRAINT "key_created_at_lte_deleted_at_check" CHECK (created_at <= deleted_at)
			) WITH (OIDS = FALSE);
			GRANT SELECT, INSERT, UPDATE ON "kite"."key" TO "kontrol";
			CREATE UNLOGGED TABLE "kite"."kite" (
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
			    CONSTRAINT "kite_key_id_fkey" FOREIGN KEY ("key_id") REFERENCES kite.key (id) ON UPDATE NO ACTION ON DELETE NO ACTION NOT DEFERRABLE INITIALLY IMMEDIATE
			);
			GRANT SELECT, INSERT, UPDATE, DELETE ON "kite"."kite" TO "kontrol";
			DROP INDEX IF EXISTS kite_updated_at_btree_idx;
			CREATE INDEX kite_updated_at_btree_idx ON "kite"."kite" USING BTREE (updated_at DESC);
			DO $$
			  BEGIN
			    BEGIN
			      CREATE INDEX  "kite_key_public_idx" ON "kite"."key" USING btree(public);
			    EXCEPTION WHEN duplicate_table THEN
			      RAISE NOTICE 'kite_key_public_idx already exists';
			    END;
			    BEGIN
			      CREATE INDEX  "kite_key_deleted_at_public_idx" ON "kite"."key" USING btree(deleted_at DESC NULLS FIRST, public);
			    EXCEPTION WHEN duplicate_table THEN
			      RAISE NOTICE 'kite_key_deleted_at_public_idx already exists';
			    END;
			  END;
			$$;
			""";

	/** What the catalog says about the kite schema, to compare schemas. */
	private static final String CATALOG = """
			SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
			    || ' ' || coalesce(column_default, '') FROM information_schema.columns WHERE table_schema = 'kite'
			UNION ALL
			SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
			    FROM pg_constraint WHERE connamespace = 'kite'::regnamespace
			UNION ALL
			SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'kite'
			UNION ALL
			SELECT 'table ' || relname || ' ' || relpersistence FROM pg_class
			    WHERE relnamespace = 'kite'::regnamespace AND relkind = 'r'
			ORDER BY 1
			""";

	private static EmbeddedPostgres postgres;

	@BeforeAll
	static void startPostgres() throws IOException {
		postgres = EmbeddedPostgres.builder().start();
	}

	@AfterAll
	static void stopPostgres() throws IOException {
		postgres.close();
	}

	private static DataSource newDatabase(String name) {
		JdbcClient.create(postgres.getPostgresDatabase()).sql("CREATE DATABASE " + name).update();
		return postgres.getDatabase("postgres", name);
	}

	@Test
	void schemaIsCreatedAsGoCreatesIt() throws SQLException {
		DataSource ours = newDatabase("ours");
		KontrolSchema.createIfMissing(ours);
		DataSource go = newDatabase("go");
		execute(go, GO_SCHEMA);
		assertThat(catalog(ours)).isEqualTo(catalog(go)).isNotEmpty();
		assertThat(catalog(ours)).contains("table kite u", "table key p");
	}

	@Test
	void creatingTwiceIsHarmlessAndKeepsData() {
		DataSource dataSource = newDatabase("twice");
		KontrolSchema.createIfMissing(dataSource);
		List<String> before = catalog(dataSource);
		PostgresKeyPairStore keys = new PostgresKeyPairStore(dataSource);
		KontrolKeyPair pair = pair();
		keys.add(pair);
		KontrolSchema.createIfMissing(dataSource);
		assertThat(catalog(dataSource)).isEqualTo(before);
		assertThat(keys.findById(pair.id())).contains(new StoredKeyPair(pair, false));
	}

	@Test
	void storesWorkOnSchemaCreatedByGoAndReadWhatGoWrote() throws SQLException {
		DataSource dataSource = newDatabase("shared_with_go");
		execute(dataSource, GO_SCHEMA.replaceAll("(?m)^(CREATE ROLE|CREATE USER|GRANT kontrol TO).*$", ""));
		List<String> goCatalog = catalog(dataSource);
		KontrolSchema.createIfMissing(dataSource);
		assertThat(catalog(dataSource)).isEqualTo(goCatalog);
		// A key and a kite as Go's AddKey and Upsert insert them
		String keyId = UUID.randomUUID().toString();
		String kiteId = UUID.randomUUID().toString();
		JdbcClient jdbc = JdbcClient.create(dataSource);
		jdbc.sql("INSERT INTO kite.key (id,public,private) VALUES ($1,$2,$3)".replaceAll("\\$\\d", "?"))
			.params(UUID.fromString(keyId), "go public", "go private")
			.update();
		jdbc.sql(("INSERT INTO kite.kite (username,environment,kitename,version,region,hostname,id,url,key_id)"
				+ " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)")
			.replaceAll("\\$\\d", "?"))
			.params("devrim", "production", "math", "1.0.0", "eu", "host-1", UUID.fromString(kiteId), "http://go/kite",
					UUID.fromString(keyId))
			.update();
		PostgresKiteStore kites = new PostgresKiteStore(dataSource);
		PostgresKeyPairStore keys = new PostgresKeyPairStore(dataSource);
		try (kites) {
			assertThat(keys.findByPublicKey("go public"))
				.contains(new StoredKeyPair(new KontrolKeyPair(keyId, "go public", "go private"), false));
			Kite goKite = new Kite("math", "devrim", kiteId, "production", "eu", "1.0.0", "host-1");
			assertThat(kites.find(new KontrolQuery("devrim", "", "math", "", "", "", ""))).singleElement()
				.satisfies((record) -> {
					assertThat(record.kite()).isEqualTo(goKite);
					assertThat(record.url()).isEqualTo("http://go/kite");
					assertThat(record.keyId()).isEqualTo(keyId);
				});
			// Go's soft delete of the key is seen as deleted; our re-registration updates
			// only url, key_id and updated_at of Go's row
			KontrolKeyPair ours = pair();
			keys.add(ours);
			jdbc.sql("UPDATE kite.key SET deleted_at = (now() at time zone 'utc') WHERE id = ?")
				.param(UUID.fromString(keyId))
				.update();
			assertThat(keys.findById(keyId)).hasValueSatisfying((stored) -> assertThat(stored.deleted()).isTrue());
			kites.upsert(goKite.withUsername("someone-else"), "http://java/kite", ours.id(), T0);
			assertThat(kites.findById(kiteId)).contains(new KiteRecord(goKite, "http://java/kite", ours.id(), T0));
		}
	}

	@Test
	void subscriberOnOneInstanceSeesChangesMadeThroughAnother() {
		DataSource dataSource = newDatabase("two_instances");
		KontrolSchema.createIfMissing(dataSource);
		KontrolKeyPair pair = pair();
		new PostgresKeyPairStore(dataSource).add(pair);
		Kite kite = new Kite("math", "devrim", UUID.randomUUID().toString(), "production", "eu", "1.0.0", "host-1");
		try (PostgresKiteStore a = new PostgresKiteStore(dataSource);
				PostgresKiteStore b = new PostgresKiteStore(dataSource)) {
			List<KiteStoreEvent> seenByB = new CopyOnWriteArrayList<>();
			b.subscribe(seenByB::add);
			a.upsert(kite, "http://a/kite", pair.id(), T0);
			KiteRecord record = new KiteRecord(kite, "http://a/kite", pair.id(), T0);
			await().untilAsserted(
					() -> assertThat(seenByB).containsExactly(new KiteStoreEvent(KiteEvent.REGISTER, record)));
			assertThat(b.findById(kite.id())).contains(record);
			assertThat(a.deleteExpired(T0.plusSeconds(1))).isOne();
			await()
				.untilAsserted(() -> assertThat(seenByB).containsExactly(new KiteStoreEvent(KiteEvent.REGISTER, record),
						new KiteStoreEvent(KiteEvent.DEREGISTER, record)));
		}
	}

	@Test
	void listenerReconnectsAfterItsConnectionIsKilledAndCloseReleasesIt() {
		DataSource dataSource = newDatabase("reconnect");
		KontrolSchema.createIfMissing(dataSource);
		KontrolKeyPair pair = pair();
		new PostgresKeyPairStore(dataSource).add(pair);
		JdbcClient admin = JdbcClient.create(postgres.getPostgresDatabase());
		PostgresKiteStore store = new PostgresKiteStore(dataSource);
		List<KiteStoreEvent> events = new CopyOnWriteArrayList<>();
		store.subscribe(events::add);
		List<Integer> listeners = listenerPids(admin);
		assertThat(listeners).hasSize(1);
		admin.sql("SELECT pg_terminate_backend(?)").param(listeners.get(0)).query().listOfRows();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(listenerPids(admin)).hasSize(1).doesNotContain(listeners.get(0)));
		Kite kite = new Kite("math", "devrim", UUID.randomUUID().toString(), "production", "eu", "1.0.0", "host-1");
		store.upsert(kite, "http://a/kite", pair.id(), T0);
		await()
			.untilAsserted(() -> assertThat(events).extracting((event) -> event.record().kite()).containsExactly(kite));
		store.close();
		// close() waits for the listener, which closes its connection on the way out
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(listenerPids(admin)).isEmpty());
	}

	private static List<Integer> listenerPids(JdbcClient admin) {
		return admin
			.sql("SELECT pid FROM pg_stat_activity WHERE datname = 'reconnect' AND query = 'LISTEN "
					+ PostgresKiteStore.CHANNEL + "'")
			.query(Integer.class)
			.list();
	}

	private static KontrolKeyPair pair() {
		String id = UUID.randomUUID().toString();
		return new KontrolKeyPair(id, "public " + id, "private " + id);
	}

	private static List<String> catalog(DataSource dataSource) {
		return JdbcClient.create(dataSource).sql(CATALOG).query(String.class).list();
	}

	private static void execute(DataSource dataSource, String sql) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
