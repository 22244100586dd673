package dev.kite.auth.provider;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.auth.KiteAuthenticationToken;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * An {@link AuthenticationProvider} for one kite auth type: it answers {@code null} (not mine) for
 * anything but a {@link KiteAuthenticationToken} of that type, as {@link KiteAuthenticationManager}
 * expects, and verifies the rest.
 */
abstract class KiteAuthTypeProvider implements AuthenticationProvider {

	@Override
	public final boolean supports(Class<?> authentication) {
		return KiteAuthenticationToken.class.isAssignableFrom(authentication);
	}

	@Override
	public final @Nullable Authentication authenticate(Authentication authentication) throws AuthenticationException {
		if (!(authentication instanceof KiteAuthenticationToken token) || !authType().equals(token.getAuthType())) {
			return null;
		}
		return verify(token, (String) token.getCredentials());
	}

	/** The auth type this provider verifies. */
	abstract String authType();

	/**
	 * Verifies a token of this provider's type.
	 * @param token the credentials
	 * @param key the key
	 * @return the authenticated token
	 * @throws AuthenticationException when verification fails (the message is the bare reason)
	 */
	abstract Authentication verify(KiteAuthenticationToken token, String key) throws AuthenticationException;

}
