package dev.kite.auth.trust;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The default {@link KontrolKeyTrust} of an ordinary kite: a key is trusted when it
 * equals one of the configured Kontrol public keys as a string, after trimming both (Go
 * compares {@code Config.KontrolKey} as an exact string; Kontrol always sends a trimmed
 * PEM).
 *
 * <p>
 * Thread-safe. The supplier is asked on every check, so the trusted set can change at run
 * time (a new {@code publicKey} from Kontrol, PROTOCOL §6.8); it must be thread-safe and
 * cheap.
 */
public final class ConfiguredKontrolKeyTrust implements KontrolKeyTrust {

	private final Supplier<? extends Collection<String>> trustedKeys;

	/**
	 * @param trustedKeys the trusted Kontrol public keys (PEM), fixed
	 */
	public ConfiguredKontrolKeyTrust(Collection<String> trustedKeys) {
		Set<String> trimmed = trustedKeys.stream().map(String::strip).collect(Collectors.toUnmodifiableSet());
		this.trustedKeys = () -> trimmed;
	}

	/**
	 * @param trustedKeys supplies the currently trusted Kontrol public keys (PEM)
	 */
	public ConfiguredKontrolKeyTrust(Supplier<? extends Collection<String>> trustedKeys) {
		this.trustedKeys = trustedKeys;
	}

	/**
	 * @param trustedKey the one trusted Kontrol public key (PEM)
	 * @return a trust that accepts exactly that key
	 */
	public static ConfiguredKontrolKeyTrust of(String trustedKey) {
		return new ConfiguredKontrolKeyTrust(List.of(trustedKey));
	}

	@Override
	public boolean isTrusted(String pem) {
		String candidate = pem.strip();
		for (String trusted : this.trustedKeys.get()) {
			if (trusted.strip().equals(candidate)) {
				return true;
			}
		}
		return false;
	}

}
