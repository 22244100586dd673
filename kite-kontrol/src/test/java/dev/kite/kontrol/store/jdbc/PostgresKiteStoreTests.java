package dev.kite.kontrol.store.jdbc;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kite.kontrol.store.KiteRecord;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.kontrol.store.KiteStoreContractTests;
import dev.kite.kontrol.store.KiteStoreEvent;
import dev.kite.kontrol.store.KontrolKeyPair;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
	void eventOfKiteTooLargeForNotificationIsStillDelivered() {
		String key = addKeyPair();
		List<KiteStoreEvent> events = subscribe();
		// 9000 bytes of hostname: the event no longer fits PostgreSQL's 8000-byte payload
		Kite kite = new Kite("math", "devrim", UUID.randomUUID().toString(), "production", "eu", "1.0.0",
				"h".repeat(9000));
		this.store.upsert(kite, "http://a/kite", key, T0);
		await().untilAsserted(() -> assertThat(events)
			.containsExactly(new KiteStoreEvent(KiteEvent.REGISTER, new KiteRecord(kite, "http://a/kite", key, T0))));
		this.store.delete(kite.id());
		// the record is gone when the deregistration is heard: only its id is known
		await().untilAsserted(() -> assertThat(events).hasSize(2));
		assertThat(events.get(1).action()).isEqualTo(KiteEvent.DEREGISTER);
		assertThat(events.get(1).record().kite().id()).isEqualTo(kite.id());
	}

	@Test
	void subscribingToClosedStoreReturnsWithoutWaiting() {
		this.store.close();
		List<KiteStoreEvent> events = new CopyOnWriteArrayList<>();
		// the listen timeout is 10 s: a closed store must not wait for it
		assertTimeoutPreemptively(Duration.ofSeconds(5), () -> this.store.subscribe(events::add).close());
	}

	@Test
	void upsertOfNonUuidIdIsRejectedNamingTheId() {
		String key = addKeyPair();
		Kite kite = new Kite("math", "devrim", "not-a-uuid", "production", "eu", "1.0.0", "host-1");
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.upsert(kite, "http://a/kite", key, T0))
			.withMessageContaining("'not-a-uuid'");
	}

}
