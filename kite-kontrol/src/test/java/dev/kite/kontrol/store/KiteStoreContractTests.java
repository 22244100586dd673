package dev.kite.kontrol.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteEvent;
import dev.kite.protocol.KontrolQuery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The contract of {@link KiteStore}, run against every implementation. Events may be
 * delivered on another thread (PostgreSQL delivers them from {@code LISTEN}), so event
 * assertions wait with Awaitility; "no event" is asserted by waiting for a later marker
 * event, as every store delivers events in the order the changes were made.
 */
public abstract class KiteStoreContractTests {

	protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

	/**
	 * The store under test, empty at the start of each test; the same instance for the
	 * whole test.
	 */
	protected abstract KiteStore store();

	/**
	 * Adds a key pair that the store's records may reference (PostgreSQL enforces the
	 * foreign key).
	 * @return the id of the added pair
	 */
	protected abstract String addKeyPair();

	protected static Kite kite(String name, String version, String region) {
		return new Kite(name, "devrim", UUID.randomUUID().toString(), "production", region, version, "host-1");
	}

	@Test
	void upsertInsertsRecord() {
		String key = addKeyPair();
		Kite kite = kite("math", "1.0.0", "eu");
		store().upsert(kite, "http://10.0.0.5:3636/kite", key, T0);
		assertThat(store().findById(kite.id())).contains(new KiteRecord(kite, "http://10.0.0.5:3636/kite", key, T0));
	}

	@Test
	void upsertOfExistingIdChangesOnlyUrlKeyIdAndUpdateTime() {
		String key1 = addKeyPair();
		String key2 = addKeyPair();
		Kite kite = kite("math", "1.0.0", "eu");
		store().upsert(kite, "http://a/kite", key1, T0);
		Kite changed = new Kite("other", "someone", kite.id(), "staging", "us", "2.0.0", "host-2");
		store().upsert(changed, "http://b/kite", key2, T0.plusSeconds(5));
		assertThat(store().findById(kite.id()))
			.contains(new KiteRecord(kite, "http://b/kite", key2, T0.plusSeconds(5)));
		assertThat(store().find(new KontrolQuery("", "", "other", "", "", "", ""))).isEmpty();
	}

	@Test
	void upsertPublishesRegisterWhenInsertedOrUrlChanged() {
		String key = addKeyPair();
		List<KiteStoreEvent> events = subscribe();
		Kite kite = kite("math", "1.0.0", "eu");
		store().upsert(kite, "http://a/kite", key, T0);
		store().upsert(kite, "http://a/kite", key, T0.plusSeconds(1)); // same URL: no
																		// event
		store().upsert(kite, "http://b/kite", key, T0.plusSeconds(2));
		await().untilAsserted(() -> assertThat(events).hasSize(2));
		assertThat(events.get(0))
			.isEqualTo(new KiteStoreEvent(KiteEvent.REGISTER, new KiteRecord(kite, "http://a/kite", key, T0)));
		assertThat(events.get(1)).isEqualTo(
				new KiteStoreEvent(KiteEvent.REGISTER, new KiteRecord(kite, "http://b/kite", key, T0.plusSeconds(2))));
	}

	@Test
	void refreshUpdatesUrlAndUpdateTime() {
		String key = addKeyPair();
		Kite kite = kite("math", "1.0.0", "eu");
		store().upsert(kite, "http://a/kite", key, T0);
		assertThat(store().refresh(kite.id(), "http://a/kite", T0.plusSeconds(60))).isTrue();
		assertThat(store().findById(kite.id()))
			.contains(new KiteRecord(kite, "http://a/kite", key, T0.plusSeconds(60)));
		assertThat(store().refresh(kite.id(), "http://b/kite", T0.plusSeconds(120))).isTrue();
		assertThat(store().findById(kite.id()))
			.contains(new KiteRecord(kite, "http://b/kite", key, T0.plusSeconds(120)));
	}

	@Test
	void refreshOfUnknownIdReturnsFalse() {
		assertThat(store().refresh(UUID.randomUUID().toString(), "http://a/kite", T0)).isFalse();
	}

	@Test
	void refreshPublishesRegisterOnlyWhenUrlChanged() {
		String key = addKeyPair();
		Kite kite = kite("math", "1.0.0", "eu");
		store().upsert(kite, "http://a/kite", key, T0);
		List<KiteStoreEvent> events = subscribe();
		store().refresh(kite.id(), "http://a/kite", T0.plusSeconds(60));
		store().refresh(kite.id(), "http://b/kite", T0.plusSeconds(120));
		await().untilAsserted(() -> assertThat(events).hasSize(1));
		assertThat(events.get(0)).isEqualTo(new KiteStoreEvent(KiteEvent.REGISTER,
				new KiteRecord(kite, "http://b/kite", key, T0.plusSeconds(120))));
	}

	@Test
	void deleteRemovesRecordAndPublishesDeregister() {
		String key = addKeyPair();
		Kite kite = kite("math", "1.0.0", "eu");
		store().upsert(kite, "http://a/kite", key, T0);
		List<KiteStoreEvent> events = subscribe();
		assertThat(store().delete(kite.id())).isTrue();
		assertThat(store().findById(kite.id())).isEmpty();
		assertThat(store().delete(kite.id())).isFalse();
		await().untilAsserted(() -> assertThat(events)
			.containsExactly(new KiteStoreEvent(KiteEvent.DEREGISTER, new KiteRecord(kite, "http://a/kite", key, T0))));
	}

	@Test
	void findByIdOfUnknownIdIsEmpty() {
		assertThat(store().findById(UUID.randomUUID().toString())).isEmpty();
	}

	@Test
	void findMatchesEveryNonEmptyFieldWithGaps() {
		String key = addKeyPair();
		Kite mathEu = kite("math", "1.0.0", "eu");
		Kite mathUs = kite("math", "1.0.0", "us");
		Kite mathEu2 = kite("math", "2.0.0", "eu");
		Kite fooEu = kite("foo", "1.0.0", "eu");
		for (Kite kite : List.of(mathEu, mathUs, mathEu2, fooEu)) {
			store().upsert(kite, "http://" + kite.id() + "/kite", key, T0);
		}
		assertThat(ids(store().find(new KontrolQuery("devrim", "production", "math", "", "", "", ""))))
			.containsExactlyInAnyOrder(mathEu.id(), mathUs.id(), mathEu2.id());
		// gaps: only the version, or the name and the region
		assertThat(ids(store().find(new KontrolQuery("", "", "", "1.0.0", "", "", ""))))
			.containsExactlyInAnyOrder(mathEu.id(), mathUs.id(), fooEu.id());
		assertThat(ids(store().find(new KontrolQuery("", "", "math", "", "eu", "", ""))))
			.containsExactlyInAnyOrder(mathEu.id(), mathEu2.id());
		// an id-only query, as Go's token renewer sends it
		assertThat(store().find(new KontrolQuery("", "", "", "", "", "", mathUs.id())))
			.containsExactly(new KiteRecord(mathUs, "http://" + mathUs.id() + "/kite", key, T0));
		assertThat(store().find(new KontrolQuery("", "", "foo", "", "", "", mathUs.id()))).isEmpty();
		assertThat(store().find(new KontrolQuery("", "", "bar", "", "", "", ""))).isEmpty();
	}

	@Test
	void findIsExactAndCaseSensitive() {
		String key = addKeyPair();
		Kite kite = kite("math", "1.0.0", "eu");
		store().upsert(kite, "http://a/kite", key, T0);
		assertThat(store().find(new KontrolQuery("", "", "Math", "", "", "", ""))).isEmpty();
		assertThat(store().find(new KontrolQuery("", "", "mat", "", "", "", ""))).isEmpty();
		assertThat(store().find(new KontrolQuery("", "", "math%", "", "", "", ""))).isEmpty();
		assertThat(store().find(new KontrolQuery("DEVRIM", "", "", "", "", "", ""))).isEmpty();
		assertThat(ids(store().find(new KontrolQuery("devrim", "", "math", "", "", "", ""))))
			.containsExactly(kite.id());
	}

	@Test
	void findComparesVersionAsPlainString() {
		String key = addKeyPair();
		Kite kite = kite("math", "1.0.0", "eu");
		store().upsert(kite, "http://a/kite", key, T0);
		assertThat(store().find(new KontrolQuery("", "", "math", ">= 1.0", "", "", ""))).isEmpty();
		assertThat(store().find(new KontrolQuery("", "", "math", "1.0", "", "", ""))).isEmpty();
		assertThat(store().find(new KontrolQuery("", "", "math", "v1.0.0", "", "", ""))).isEmpty();
		assertThat(ids(store().find(new KontrolQuery("", "", "math", "1.0.0", "", "", "")))).containsExactly(kite.id());
	}

	@Test
	void findWithEveryFieldEmptyIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> store().find(new KontrolQuery("", "", "", "", "", "", "")))
			.withMessage("all query fields are empty");
	}

	@Test
	void deleteExpiredDeletesRecordsWrittenBeforeCutoffAndPublishesDeregister() {
		String key = addKeyPair();
		Kite old = kite("math", "1.0.0", "eu");
		Kite refreshed = kite("math", "1.0.0", "us");
		Kite atCutoff = kite("math", "1.0.0", "asia");
		store().upsert(old, "http://old/kite", key, T0);
		store().upsert(refreshed, "http://refreshed/kite", key, T0);
		store().upsert(atCutoff, "http://cutoff/kite", key, T0.plusSeconds(90));
		store().refresh(refreshed.id(), "http://refreshed/kite", T0.plusSeconds(60));
		List<KiteStoreEvent> events = subscribe();
		assertThat(store().deleteExpired(T0.plusSeconds(90))).isEqualTo(2);
		assertThat(store().findById(old.id())).isEmpty();
		assertThat(store().findById(refreshed.id())).isEmpty();
		assertThat(store().findById(atCutoff.id())).isPresent();
		assertThat(store().deleteExpired(T0.plusSeconds(90))).isZero();
		await().untilAsserted(() -> assertThat(events).containsExactlyInAnyOrder(
				new KiteStoreEvent(KiteEvent.DEREGISTER, new KiteRecord(old, "http://old/kite", key, T0)),
				new KiteStoreEvent(KiteEvent.DEREGISTER,
						new KiteRecord(refreshed, "http://refreshed/kite", key, T0.plusSeconds(60)))));
	}

	@Test
	void closedSubscriptionReceivesNothing() {
		String key = addKeyPair();
		List<KiteStoreEvent> closedEvents = new CopyOnWriteArrayList<>();
		KiteStore.Subscription closed = store().subscribe(closedEvents::add);
		List<KiteStoreEvent> events = subscribe();
		Kite first = kite("math", "1.0.0", "eu");
		store().upsert(first, "http://a/kite", key, T0);
		await().untilAsserted(() -> assertThat(closedEvents).hasSize(1));
		closed.close();
		closed.close(); // harmless
		Kite second = kite("math", "1.0.0", "us");
		store().upsert(second, "http://b/kite", key, T0);
		await().untilAsserted(() -> assertThat(events).hasSize(2));
		assertThat(closedEvents).hasSize(1);
	}

	@Test
	void failingListenerAffectsNeitherChangeNorOtherListeners() {
		String key = addKeyPair();
		store().subscribe((event) -> {
			throw new IllegalStateException("listener failure");
		});
		List<KiteStoreEvent> events = subscribe();
		Kite kite = kite("math", "1.0.0", "eu");
		store().upsert(kite, "http://a/kite", key, T0);
		store().delete(kite.id());
		await().untilAsserted(() -> assertThat(events).extracting(KiteStoreEvent::action)
			.containsExactly(KiteEvent.REGISTER, KiteEvent.DEREGISTER));
	}

	protected List<KiteStoreEvent> subscribe() {
		List<KiteStoreEvent> events = new CopyOnWriteArrayList<>();
		store().subscribe(events::add);
		return events;
	}

	private static List<String> ids(List<KiteRecord> records) {
		return records.stream().map((record) -> record.kite().id()).toList();
	}

}
