package dev.kite.kontrol.query;

import java.time.Instant;
import java.util.List;

import dev.kite.kontrol.store.KiteRecord;
import dev.kite.kontrol.store.memory.InMemoryKiteStore;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KontrolQuery;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Kontrol's query rules over a store (PROTOCOL §6.10) and the token audience (§6.4).
 */
class KiteQueriesTests {

	private final InMemoryKiteStore store = new InMemoryKiteStore();

	private final Kite v1 = new Kite("math", "alice", "11111111-1111-1111-1111-111111111111", "prod", "eu", "1.0.0",
			"h1");

	private final Kite v2 = new Kite("math", "alice", "22222222-2222-2222-2222-222222222222", "prod", "us", "2.0.0",
			"h2");

	private final Kite bobs = new Kite("math", "bob", "33333333-3333-3333-3333-333333333333", "prod", "eu", "1.0.0",
			"h3");

	KiteQueriesTests() {
		Instant now = Instant.parse("2026-01-01T00:00:00Z");
		this.store.upsert(this.v1, "http://1/kite", "k", now);
		this.store.upsert(this.v2, "http://2/kite", "k", now);
		this.store.upsert(this.bobs, "http://3/kite", "k", now);
	}

	@Test
	void gapFreeGappedAndIdOnlyQueries() {
		assertThat(ids(q("alice", "prod", "math", "", "", "", ""))).containsExactlyInAnyOrder(this.v1.id(),
				this.v2.id());
		assertThat(ids(q("", "", "", "1.0.0", "", "", ""))).containsExactlyInAnyOrder(this.v1.id(), this.bobs.id());
		assertThat(ids(q("", "", "", "", "", "", this.v2.id()))).containsExactly(this.v2.id());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> KiteQueries.find(this.store, q("", "", "", "", "", "", "")))
			.withMessage("all query fields are empty");
	}

	@Test
	void constraintsMatchByNameThenFilterByVersionAndTheRestPrefix() {
		assertThat(ids(q("alice", "prod", "math", ">= 1.5", "", "", ""))).containsExactly(this.v2.id());
		assertThat(ids(q("alice", "prod", "math", "< 3", "eu", "", ""))).containsExactly(this.v1.id());
		assertThat(ids(q("alice", "prod", "math", "< 3", "eu", "h2", ""))).isEmpty();
		// Unlike Go, a single match is filtered too.
		assertThat(ids(q("bob", "", "", "> 1.0", "", "", ""))).isEmpty();
	}

	@Test
	void matchesFollowsTheSameRules() {
		assertThat(KiteQueries.matches(q("alice", "", "", "", "", "", ""), this.v1)).isTrue();
		assertThat(KiteQueries.matches(q("alice", "", "math", "2.0.0", "", "", ""), this.v1)).isFalse();
		assertThat(KiteQueries.matches(q("alice", "", "math", "~> 2.0", "", "", ""), this.v2)).isTrue();
		assertThat(KiteQueries.matches(q("", "", "", "", "", "", this.bobs.id()), this.bobs)).isTrue();
	}

	@Test
	void audiences() {
		assertThat(KiteQueries.audience(q("alice", "prod", "math", "1.0.0", "", "", ""))).isEqualTo("/alice/prod/math");
		assertThat(KiteQueries.audience(q("alice", "prod", "", "", "", "", ""))).isEqualTo("/alice/prod");
		assertThat(KiteQueries.audience(q("alice", "", "", "", "", "", ""))).isEqualTo("/alice");
		assertThat(KiteQueries.audience(q("", "", "", "", "", "", "x"))).isEqualTo("/");
		assertThat(KiteQueries.audience(q("", "", "math", "", "", "", ""))).isEqualTo("///math");
	}

	private List<String> ids(KontrolQuery query) {
		return KiteQueries.find(this.store, query).stream().map(KiteRecord::kite).map(Kite::id).toList();
	}

	private static KontrolQuery q(String username, String environment, String name, String version, String region,
			String hostname, String id) {
		return new KontrolQuery(username, environment, name, version, region, hostname, id);
	}

}
