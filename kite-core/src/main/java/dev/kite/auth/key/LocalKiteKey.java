package dev.kite.auth.key;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * This kite's own kite key, if it has one. Kontrol may hand out a re-signed key at
 * registration (after a key rotation); {@link #update} swaps it in for every later use.
 *
 * <p>
 * Thread safety: read from any thread; updates are atomic.
 */
public final class LocalKiteKey {

	private final AtomicReference<@Nullable KiteKey> current;

	/**
	 * @param initial the key loaded at startup, or {@code null}
	 */
	public LocalKiteKey(@Nullable KiteKey initial) {
		this.current = new AtomicReference<>(initial);
	}

	/** The current key. */
	public Optional<KiteKey> get() {
		return Optional.ofNullable(this.current.get());
	}

	/**
	 * Replaces the key.
	 * @param key the new key
	 */
	public void update(KiteKey key) {
		this.current.set(key);
	}

}
