package dev.kite.auth.trust;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The Kontrol this kite trusts right now: its username (tokens' {@code iss}) and public
 * keys (PEM). Starts from configuration or the kite key; Kontrol registration replaces it
 * when Kontrol rotates its key ({@code publicKey}/{@code kiteKey} in a register result).
 *
 * <p>
 * Thread safety: readers on any thread see a consistent snapshot; {@link #update} swaps
 * it atomically.
 */
public final class KontrolTrustSource implements Supplier<KontrolTrust> {

	private record Snapshot(KontrolTrust trust, List<String> pems) {
	}

	private final AtomicReference<Snapshot> current = new AtomicReference<>();

	/**
	 * @param kontrolUser Kontrol's username
	 * @param pems Kontrol's public keys in PEM form
	 * @throws IllegalArgumentException when a key is not an RSA public key in PEM form
	 */
	public KontrolTrustSource(String kontrolUser, List<String> pems) {
		update(kontrolUser, pems);
	}

	/** The trust for verifying tokens. */
	@Override
	public KontrolTrust get() {
		return this.current.get().trust();
	}

	/**
	 * The trusted Kontrol keys as PEM text, for the kite key check (an exact string
	 * match).
	 */
	public List<String> trustedKeys() {
		return this.current.get().pems();
	}

	/**
	 * Replaces the trusted Kontrol.
	 * @param kontrolUser Kontrol's username
	 * @param pems its public keys
	 */
	public void update(String kontrolUser, List<String> pems) {
		List<String> trimmed = pems.stream().map(String::trim).filter((pem) -> !pem.isEmpty()).toList();
		this.current.set(new Snapshot(KontrolTrust.of(kontrolUser, trimmed), trimmed));
	}

}
