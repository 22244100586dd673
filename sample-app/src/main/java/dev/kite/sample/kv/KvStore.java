package dev.kite.sample.kv;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * The versioned map behind the key-value kite. A key's first put names version 0 and
 * creates version 1; every later put must name the current version and creates the next
 * one, so two writers that read the same version cannot both win.
 *
 * <p>
 * Thread safety: any thread may call any method. A put is one
 * {@link ConcurrentMap#compute} on its key, so the version check and the write are atomic
 * with respect to every other put on that key (puts on other keys do not wait). The
 * accepted entry is handed to the listener inside that compute, so listeners see one
 * key's versions in order; the listener must therefore only enqueue, never block (see
 * {@link KvWatchers#publish}). The price: a watcher may hear of a version a moment before
 * {@link #get} returns it.
 */
public class KvStore {

	private final ConcurrentMap<String, KvValue> entries = new ConcurrentHashMap<>();

	private final Consumer<KvEntry> listener;

	/**
	 * @param listener told of every accepted put, under the key's lock: must not block
	 */
	public KvStore(Consumer<KvEntry> listener) {
		this.listener = listener;
	}

	/**
	 * The current value of a key.
	 * @param key the key
	 * @return its value and version, or empty when the key was never put
	 */
	public Optional<KvValue> get(String key) {
		return Optional.ofNullable(this.entries.get(key));
	}

	/**
	 * Stores a value if {@code expectedVersion} is the key's current version.
	 * @param key the key
	 * @param value the value
	 * @param expectedVersion the current version (0 for a key that does not exist yet)
	 * @return the new version
	 * @throws KvVersionConflictException if {@code expectedVersion} is not the current
	 * version
	 */
	public long put(String key, String value, long expectedVersion) {
		KvValue stored = this.entries.compute(key, (k, current) -> {
			long currentVersion = (current != null) ? current.version() : 0;
			if (currentVersion != expectedVersion) {
				throw new KvVersionConflictException(k, expectedVersion, currentVersion);
			}
			KvValue next = new KvValue(value, currentVersion + 1);
			this.listener.accept(new KvEntry(k, value, next.version()));
			return next;
		});
		return stored.version();
	}

}
