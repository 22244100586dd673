package dev.kite.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * A size-bounded map from a string to a value that expires at a given instant (epoch
 * milliseconds). Lookups are lock-free ({@link ConcurrentHashMap}); when an insert finds
 * the cache full, one thread (the others skip) drops the expired entries and then, if
 * still full, the oldest tenth by insertion.
 *
 * <p>
 * Thread-safe. Keys may be credentials: this class never prints them.
 */
public final class BoundedExpiringCache<V> {

	private record Entry<V>(V value, long expiresAtMillis, long sequence) {
	}

	private final ConcurrentHashMap<String, Entry<V>> entries = new ConcurrentHashMap<>();

	private final AtomicLong sequence = new AtomicLong();

	private final ReentrantLock evicting = new ReentrantLock();

	private final int maxSize;

	/**
	 * @param maxSize the most entries kept; 0 keeps none (every lookup misses)
	 */
	public BoundedExpiringCache(int maxSize) {
		if (maxSize < 0) {
			throw new IllegalArgumentException("maxSize must not be negative: " + maxSize);
		}
		this.maxSize = maxSize;
	}

	/**
	 * @param key the key
	 * @param nowMillis the current time
	 * @return the value, or {@code null} when absent or expired (an expired entry is
	 * removed)
	 */
	public @Nullable V get(String key, long nowMillis) {
		Entry<V> entry = this.entries.get(key);
		if (entry == null) {
			return null;
		}
		if (nowMillis >= entry.expiresAtMillis()) {
			this.entries.remove(key, entry);
			return null;
		}
		return entry.value();
	}

	/**
	 * Stores a value; a no-op when it has already expired.
	 * @param key the key
	 * @param value the value
	 * @param expiresAtMillis when it stops being returned ({@link Long#MAX_VALUE} for
	 * never)
	 * @param nowMillis the current time
	 */
	public void put(String key, V value, long expiresAtMillis, long nowMillis) {
		if (nowMillis >= expiresAtMillis || this.maxSize == 0) {
			return;
		}
		if (this.entries.size() >= this.maxSize && !this.entries.containsKey(key)) {
			evict(nowMillis);
			if (this.entries.size() >= this.maxSize) {
				// Another thread is evicting, or eviction could not make room: skip
				// caching.
				return;
			}
		}
		this.entries.put(key, new Entry<>(value, expiresAtMillis, this.sequence.incrementAndGet()));
	}

	/** Removes one key. */
	public void remove(String key) {
		this.entries.remove(key);
	}

	/** The number of entries, expired ones included. */
	public int size() {
		return this.entries.size();
	}

	private void evict(long nowMillis) {
		if (!this.evicting.tryLock()) {
			return;
		}
		try {
			this.entries.values().removeIf((entry) -> nowMillis >= entry.expiresAtMillis());
			int excess = this.entries.size() - this.maxSize;
			if (excess < 0) {
				return;
			}
			int toDrop = Math.max(excess + 1, this.maxSize / 10);
			List<Map.Entry<String, Entry<V>>> all = new ArrayList<>(this.entries.entrySet());
			all.sort(Comparator.comparingLong((Map.Entry<String, Entry<V>> e) -> e.getValue().sequence()));
			for (int i = 0; i < toDrop && i < all.size(); i++) {
				Map.Entry<String, Entry<V>> oldest = all.get(i);
				this.entries.remove(oldest.getKey(), oldest.getValue());
			}
		}
		finally {
			this.evicting.unlock();
		}
	}

}
