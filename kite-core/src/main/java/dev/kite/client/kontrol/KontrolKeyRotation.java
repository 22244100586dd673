package dev.kite.client.kontrol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.auth.trust.KontrolTrustSource;
import dev.kite.protocol.LogSafe;
import dev.kite.protocol.RegisterResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adopts a Kontrol key rotation announced in a {@link RegisterResult} (PROTOCOL §6.8), as
 * Go's {@code OnRegister} does, and goes one step further by keeping the new key:
 * <ul>
 * <li>{@code kiteKey} present: it becomes this kite's key for every later call and
 * verification ({@link LocalKiteKey#update}), its {@code kontrolKey} claim the trusted
 * Kontrol key, and it is written to the key file it was loaded from, when there is one
 * (Go leaves the file alone, so a restarted Go kite presents the dead key again);</li>
 * <li>{@code publicKey} present: it becomes the trusted Kontrol key.</li>
 * </ul>
 * The trusted key replaced is the one the old kite key named; other trusted keys (e.g.
 * configured ones) stay.
 *
 * <p>
 * Thread safety: {@link #apply} may be called from any thread; concurrent rotations are
 * serialised.
 */
public final class KontrolKeyRotation {

	private static final Logger logger = LoggerFactory.getLogger(KontrolKeyRotation.class);

	private final LocalKiteKey kiteKey;

	private final @Nullable KontrolTrustSource trust;

	private final @Nullable Path keyFile;

	/**
	 * @param kiteKey this kite's key, updated on rotation
	 * @param trust the trusted Kontrol, updated on rotation, or {@code null} when this
	 * kite verifies nothing
	 * @param keyFile the file the kite key was loaded from, rewritten with a rotated key,
	 * or {@code null} to keep the rotated key in memory only (an inline key)
	 */
	public KontrolKeyRotation(LocalKiteKey kiteKey, @Nullable KontrolTrustSource trust, @Nullable Path keyFile) {
		this.kiteKey = kiteKey;
		this.trust = trust;
		this.keyFile = keyFile;
	}

	/**
	 * Applies the rotation a register result announces, if any.
	 * @param result Kontrol's answer to {@code register}
	 * @return whether anything changed
	 * @throws IllegalArgumentException when the announced {@code kiteKey} is not a kite
	 * key (nothing is changed then)
	 */
	public synchronized boolean apply(RegisterResult result) {
		if (result.kiteKey().isEmpty() && result.publicKey().isEmpty()) {
			return false;
		}
		Optional<KiteKey> previous = this.kiteKey.get();
		String newTrusted = null;
		if (!result.kiteKey().isEmpty()) {
			KiteKey rotated;
			try {
				rotated = KiteKey.parse(result.kiteKey());
			}
			catch (ParseException ex) {
				throw new IllegalArgumentException("Kontrol returned a malformed kite key: " + ex.getMessage(), ex);
			}
			this.kiteKey.update(rotated);
			if (!rotated.kontrolKey().isEmpty()) {
				newTrusted = rotated.kontrolKey();
			}
			persist(rotated);
			logger.info("Kontrol re-signed this kite's key (its signing key was rotated); using the new key");
		}
		if (!result.publicKey().isEmpty()) {
			newTrusted = result.publicKey();
		}
		if (newTrusted != null && this.trust != null) {
			String oldTrusted = previous.map(KiteKey::kontrolKey).orElse("").trim();
			List<String> pems = new ArrayList<>();
			pems.add(newTrusted);
			for (String pem : this.trust.trustedKeys()) {
				if (!pem.equals(oldTrusted) && !pem.equals(newTrusted.trim())) {
					pems.add(pem);
				}
			}
			String user = this.kiteKey.get().map(KiteKey::kontrolUser).filter((name) -> !name.isEmpty()).orElse(null);
			this.trust.update((user != null) ? user : this.trust.get().kontrolUser(), pems);
			logger.info("Now trusting Kontrol's new public key");
		}
		return true;
	}

	private void persist(KiteKey rotated) {
		Path file = this.keyFile;
		if (file == null) {
			return;
		}
		try {
			Path parent = file.toAbsolutePath().getParent();
			Path temporary = Files.createTempFile(parent, ".kite.key", ".tmp");
			try {
				Files.writeString(temporary, rotated.raw(), StandardCharsets.UTF_8);
				copyPermissions(file, temporary);
				try {
					Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
				}
				catch (AtomicMoveNotSupportedException ex) {
					Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
				}
			}
			finally {
				Files.deleteIfExists(temporary);
			}
			logger.info("Wrote the re-signed kite key to {}", file);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Cannot write the re-signed kite key to {} ({}); it is used until the application stops", file,
					LogSafe.of(ex.toString()));
		}
	}

	private static void copyPermissions(Path from, Path to) throws IOException {
		try {
			Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
		}
		catch (UnsupportedOperationException | IOException ex) {
			// not POSIX, or the original is gone: the temp file's owner-only default
			// stays
		}
	}

}
