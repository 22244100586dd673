package dev.kite.auth;

import java.util.Map;

import dev.kite.protocol.Kite;

/**
 * What a provider verified about a call's credentials, handed to a
 * {@link KiteAuthoritiesConverter}.
 *
 * <p>
 * Immutable and thread-safe.
 *
 * @param authType the verified type, {@code kiteKey} or {@code token}
 * @param username the verified username (the JWT's {@code sub})
 * @param caller the caller's identity, its username already replaced by {@code username}
 * @param claims the JWT's claims as Nimbus parsed them, {@code null} values left out
 * (unmodifiable)
 */
public record VerifiedCredentials(String authType, String username, Kite caller, Map<String, Object> claims) {

	public VerifiedCredentials {
		claims = Map.copyOf(claims);
	}

}
