package dev.kite.kontrol;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import dev.kite.kontrol.store.jdbc.KontrolSchema;
import dev.kite.kontrol.store.jdbc.PostgresKeyPairStore;
import dev.kite.kontrol.store.jdbc.PostgresKiteStore;
import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KontrolQuery;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several Kontrols, one truth: two Kontrol instances on one PostgreSQL database serve the
 * same registry, and a {@code getKites} watcher on one sees kites register and go away
 * through the other (PostgreSQL {@code LISTEN/NOTIFY} carries the events between them).
 */
class TwoKontrolsOnOnePostgresTests {

	private static EmbeddedPostgres postgres;

	private static DataSource dataSource;

	private final PostgresKiteStore storeA = new PostgresKiteStore(dataSource);

	private final PostgresKiteStore storeB = new PostgresKiteStore(dataSource);

	private final KontrolFixture kontrolA = new KontrolFixture(this.storeA, new PostgresKeyPairStore(dataSource), false,
			null);

	private final KontrolFixture kontrolB = new KontrolFixture(this.storeB, new PostgresKeyPairStore(dataSource), false,
			null);

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

	@AfterEach
	void close() {
		this.kontrolA.kontrol.close();
		this.kontrolB.kontrol.close();
		this.storeA.close();
		this.storeB.close();
	}

	@Test
	void aWatcherOnOneKontrolSeesKitesRegisteredThroughTheOther() {
		Kite math = KontrolFixture.kite("alice", "math", "1.0.0", UUID.randomUUID().toString());
		TestPeer bob = this.kontrolB
			.connect(KontrolFixture.kite("bob", "caller", "1.0.0", UUID.randomUUID().toString()));
		ArrayNode args = this.kontrolB.mapper.createArrayNode();
		ObjectNode getKitesArgs = args.addObject();
		getKitesArgs.set("query",
				this.kontrolB.mapper.valueToTree(new KontrolQuery("alice", "production", "math", "", "", "", "")));
		getKitesArgs.put("watchCallback", "[Function]");
		getKitesArgs.putNull("who");
		JsonNode watching = bob.call("getKites", kiteKey(this.kontrolB, "bob"), args,
				Map.of(5L, List.of(0, "watchCallback")));
		assertThat(watching.get("error").isNull()).as(watching.toString()).isTrue();
		assertThat(watching.get("result").get("kites")).isEmpty();

		TestPeer registering = this.kontrolA.connect(math);
		JsonNode registered = registering.call("register", kiteKey(this.kontrolA, "alice"),
				Map.of("url", "http://math.example/kite"));
		assertThat(registered.get("error").isNull()).as(registered.toString()).isTrue();

		// The event crosses the database asynchronously; Kontrol B then delivers it on
		// its
		// scheduler, which the test drives.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			this.kontrolB.advance(Duration.ZERO);
			assertThat(bob.callsOf(5)).hasSize(1);
		});
		JsonNode event = bob.callsOf(5).get(0).get("arguments").get(0).get("result");
		assertThat(event.get("action").stringValue()).isEqualTo("REGISTER");
		assertThat(event.get("kite").get("id").stringValue()).isEqualTo(math.id());
		assertThat(event.get("url").stringValue()).isEqualTo("http://math.example/kite");
		assertThat(event.get("token").stringValue()).as("a token for the watcher, minted by Kontrol B").isNotEmpty();

		JsonNode found = bob.call("getKites", kiteKey(this.kontrolB, "bob"),
				Map.of("query", new KontrolQuery("alice", "production", "math", "", "", "", "")));
		assertThat(found.get("result").get("kites")).hasSize(1);

		registering.close();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			this.kontrolB.advance(Duration.ZERO);
			assertThat(bob.callsOf(5)).hasSize(2);
		});
		assertThat(bob.callsOf(5).get(1).get("arguments").get(0).get("result").get("action").stringValue())
			.isEqualTo("DEREGISTER");
	}

	private static Auth kiteKey(KontrolFixture fixture, String username) {
		return new Auth(Auth.KITE_KEY, fixture.kontrol.issueKiteKey(username));
	}

}
