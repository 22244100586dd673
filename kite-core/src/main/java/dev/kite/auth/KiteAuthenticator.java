package dev.kite.auth;

import dev.kite.protocol.Kite;
import org.springframework.security.core.AuthenticationException;

/**
 * Verifies one custom authentication type (for example {@code sessionID}, which Go names
 * but does not implement). Declare a bean of this type and calls whose envelope carries
 * {@code {"type": authType(), "key": …}} are verified by it.
 *
 * <p>
 * Implementations are called from many handler threads at once and must be thread-safe.
 */
public interface KiteAuthenticator {

	/** The authentication type this authenticator verifies, e.g. {@code sessionID}. */
	String authType();

	/**
	 * Verifies a key.
	 * @param key the credential from the envelope
	 * @param caller the identity the caller claims
	 * @return the verified username (becomes {@code KiteRequest.username()} and the
	 * {@code Authentication}'s name)
	 * @throws AuthenticationException when the key is not valid; its message reaches the
	 * caller as {@code "<authType>: <message>"}, so keep it free of internal details
	 */
	String authenticate(String key, Kite caller) throws AuthenticationException;

}
