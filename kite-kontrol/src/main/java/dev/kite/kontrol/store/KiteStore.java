package dev.kite.kontrol.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import dev.kite.protocol.Kite;
import dev.kite.protocol.KontrolQuery;

/**
 * The registry of kites (Go's {@code kite.kite} table), with the semantics of the Go
 * Kontrol's PostgreSQL backend (PROTOCOL §6.10, §6.12). Implementations are thread-safe;
 * a store shared by several Kontrol instances (PostgreSQL) shows each instance what the
 * others wrote.
 *
 * <p>
 * Time is always passed in by the caller (Kontrol's {@code Clock}), never read by the
 * store.
 */
public interface KiteStore {

	/** How long a record lives without a refresh (Go's {@code KeyTTL}). */
	Duration RECORD_TTL = Duration.ofSeconds(90);

	/**
	 * Inserts the kite, or, when a record with the kite's id exists, updates only its
	 * URL, key id and update time (Go never changes the other fields of an existing id).
	 * Publishes a {@code REGISTER} event when a record was inserted or its URL changed.
	 * @param kite the kite, all fields non-empty (validated by the caller)
	 * @param url the registered URL
	 * @param keyId the id of an existing key pair
	 * @param now the current time
	 */
	void upsert(Kite kite, String url, String keyId, Instant now);

	/**
	 * Refreshes a record's URL and update time by kite id. Publishes a {@code REGISTER}
	 * event when the URL changed (a repeated registration replaced it).
	 * @param kiteId the kite's id
	 * @param url the URL to store
	 * @param now the current time
	 * @return whether a record with that id existed
	 */
	boolean refresh(String kiteId, String url, Instant now);

	/**
	 * Deletes a record by kite id, publishing a {@code DEREGISTER} event when one
	 * existed.
	 * @param kiteId the kite's id
	 * @return whether a record was deleted
	 */
	boolean delete(String kiteId);

	/**
	 * Finds a record by kite id.
	 * @param kiteId the kite's id
	 * @return the record, or empty
	 */
	Optional<KiteRecord> findById(String kiteId);

	/**
	 * The records matching every non-empty field of the query by exact, case-sensitive
	 * equality (gaps allowed; {@code name} is the kite name). The query's {@code version}
	 * is compared as a plain string: version constraints are the caller's business.
	 * @param query the query, at least one field non-empty
	 * @return the matching records, in no particular order
	 * @throws IllegalArgumentException if every field is empty
	 */
	List<KiteRecord> find(KontrolQuery query);

	/**
	 * Deletes the records not written since {@code cutoff}, publishing a
	 * {@code DEREGISTER} event for each.
	 * @param cutoff records with {@code updatedAt} before this instant are deleted
	 * @return how many records were deleted
	 */
	int deleteExpired(Instant cutoff);

	/**
	 * Subscribes to changes. Listeners run on a thread of the store's choosing, must not
	 * block, and must not throw.
	 * @param listener receives each change
	 * @return a handle that ends the subscription
	 */
	Subscription subscribe(Consumer<KiteStoreEvent> listener);

	/** Ends a subscription; closing twice is harmless. */
	interface Subscription extends AutoCloseable {

		@Override
		void close();

	}

}
