package dev.kite.kontrol.store.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kite.kontrol.store.KiteRecord;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.kontrol.store.KiteStoreEvent;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteEvent;
import dev.kite.protocol.KontrolQuery;

/**
 * A {@link KiteStore} held in memory, indexed by kite id, for one Kontrol instance.
 *
 * <p>
 * Threads: every method may be called from any thread. The records are guarded by one
 * monitor; events are delivered to subscribers on the thread that made the change, while
 * it still holds that monitor, so subscribers see changes in the order they were made
 * (and must therefore not block). A listener that throws is logged and does not affect
 * the change or the other listeners.
 */
public class InMemoryKiteStore implements KiteStore {

	private static final Logger logger = LoggerFactory.getLogger(InMemoryKiteStore.class);

	private final Object monitor = new Object();

	/** Records by kite id; guarded by {@link #monitor}. */
	private final Map<String, KiteRecord> records = new HashMap<>();

	private final List<Consumer<KiteStoreEvent>> listeners = new CopyOnWriteArrayList<>();

	@Override
	public void upsert(Kite kite, String url, String keyId, Instant now) {
		Objects.requireNonNull(kite, "kite");
		Objects.requireNonNull(url, "url");
		Objects.requireNonNull(keyId, "keyId");
		Objects.requireNonNull(now, "now");
		synchronized (this.monitor) {
			KiteRecord existing = this.records.get(kite.id());
			// Like Go's UPDATE ... WHERE id: an existing id keeps its other fields
			KiteRecord record = (existing != null) ? new KiteRecord(existing.kite(), url, keyId, now)
					: new KiteRecord(kite, url, keyId, now);
			this.records.put(kite.id(), record);
			if (existing == null || !existing.url().equals(url)) {
				publish(new KiteStoreEvent(KiteEvent.REGISTER, record));
			}
		}
	}

	@Override
	public boolean refresh(String kiteId, String url, Instant now) {
		Objects.requireNonNull(url, "url");
		Objects.requireNonNull(now, "now");
		synchronized (this.monitor) {
			KiteRecord existing = this.records.get(kiteId);
			if (existing == null) {
				return false;
			}
			KiteRecord record = new KiteRecord(existing.kite(), url, existing.keyId(), now);
			this.records.put(kiteId, record);
			if (!existing.url().equals(url)) {
				publish(new KiteStoreEvent(KiteEvent.REGISTER, record));
			}
			return true;
		}
	}

	@Override
	public boolean delete(String kiteId) {
		synchronized (this.monitor) {
			KiteRecord removed = this.records.remove(kiteId);
			if (removed == null) {
				return false;
			}
			publish(new KiteStoreEvent(KiteEvent.DEREGISTER, removed));
			return true;
		}
	}

	@Override
	public Optional<KiteRecord> findById(String kiteId) {
		synchronized (this.monitor) {
			return Optional.ofNullable(this.records.get(kiteId));
		}
	}

	@Override
	public List<KiteRecord> find(KontrolQuery query) {
		Objects.requireNonNull(query, "query");
		if (isEmpty(query)) {
			throw new IllegalArgumentException("all query fields are empty");
		}
		synchronized (this.monitor) {
			if (!query.id().isEmpty()) {
				KiteRecord record = this.records.get(query.id());
				return (record != null && matches(record.kite(), query)) ? List.of(record) : List.of();
			}
			List<KiteRecord> result = new ArrayList<>();
			for (KiteRecord record : this.records.values()) {
				if (matches(record.kite(), query)) {
					result.add(record);
				}
			}
			return result;
		}
	}

	@Override
	public int deleteExpired(Instant cutoff) {
		Objects.requireNonNull(cutoff, "cutoff");
		synchronized (this.monitor) {
			int deleted = 0;
			for (Iterator<KiteRecord> it = this.records.values().iterator(); it.hasNext();) {
				KiteRecord record = it.next();
				if (record.updatedAt().isBefore(cutoff)) {
					it.remove();
					deleted++;
					publish(new KiteStoreEvent(KiteEvent.DEREGISTER, record));
				}
			}
			return deleted;
		}
	}

	@Override
	public Subscription subscribe(Consumer<KiteStoreEvent> listener) {
		Objects.requireNonNull(listener, "listener");
		// A wrapper per subscription, so that subscribing one listener twice gives two
		// independent subscriptions
		Consumer<KiteStoreEvent> subscribed = listener::accept;
		this.listeners.add(subscribed);
		return () -> this.listeners.remove(subscribed);
	}

	private void publish(KiteStoreEvent event) {
		for (Consumer<KiteStoreEvent> listener : this.listeners) {
			try {
				listener.accept(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Kite store listener failed on {} of {}", event.action(), event.record().kite().id(), ex);
			}
		}
	}

	private static boolean isEmpty(KontrolQuery query) {
		return query.username().isEmpty() && query.environment().isEmpty() && query.name().isEmpty()
				&& query.version().isEmpty() && query.region().isEmpty() && query.hostname().isEmpty()
				&& query.id().isEmpty();
	}

	private static boolean matches(Kite kite, KontrolQuery query) {
		return matches(kite.username(), query.username()) && matches(kite.environment(), query.environment())
				&& matches(kite.name(), query.name()) && matches(kite.version(), query.version())
				&& matches(kite.region(), query.region()) && matches(kite.hostname(), query.hostname())
				&& matches(kite.id(), query.id());
	}

	private static boolean matches(String value, String wanted) {
		return wanted.isEmpty() || wanted.equals(value);
	}

}
