package dev.kite.auth;

import java.util.List;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * The {@link AuthenticationManager} for kite calls. It asks each
 * {@link AuthenticationProvider} that supports {@link KiteAuthenticationToken} in turn; a
 * provider returns {@code null} for an auth type it does not handle. The caller sees Go's
 * wording: {@code Unknown authentication type: X} when no provider handles the type, and
 * {@code <type>: <reason>} when verification fails.
 *
 * <p>
 * Thread safety: immutable after construction; providers must be thread-safe.
 */
public final class KiteAuthenticationManager implements AuthenticationManager {

	private final List<AuthenticationProvider> providers;

	/**
	 * @param providers the providers, in the order they are asked
	 */
	public KiteAuthenticationManager(List<? extends AuthenticationProvider> providers) {
		this.providers = List.copyOf(providers);
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		if (!(authentication instanceof KiteAuthenticationToken token)) {
			throw new ProviderNotFoundException("Not a kite authentication: " + authentication.getClass().getName());
		}
		for (AuthenticationProvider provider : this.providers) {
			if (!provider.supports(KiteAuthenticationToken.class)) {
				continue;
			}
			Authentication result;
			try {
				result = provider.authenticate(token);
			}
			catch (AuthenticationException ex) {
				throw new BadCredentialsException(token.getAuthType() + ": " + ex.getMessage(), ex);
			}
			if (result != null) {
				return result;
			}
		}
		throw new ProviderNotFoundException("Unknown authentication type: " + token.getAuthType());
	}

}
