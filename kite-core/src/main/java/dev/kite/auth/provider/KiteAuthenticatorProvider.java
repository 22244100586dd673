package dev.kite.auth.provider;

import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.auth.KiteAuthenticator;
import dev.kite.auth.KiteAuthoritiesConverter;
import java.util.Map;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * Adapts a {@link KiteAuthenticator} to Spring Security: answers only for its auth type.
 */
public final class KiteAuthenticatorProvider extends KiteAuthTypeProvider {

	private final KiteAuthenticator authenticator;

	/**
	 * @param authenticator the authenticator
	 * @param authorities derives granted authorities from the verified credentials
	 */
	public KiteAuthenticatorProvider(KiteAuthenticator authenticator, KiteAuthoritiesConverter authorities) {
		super(authenticator.authType(), authorities);
		this.authenticator = authenticator;
	}

	@Override
	Authentication verify(KiteAuthenticationToken token, String key) {
		String username = this.authenticator.authenticate(key, token.getCaller());
		if (username == null || username.isEmpty()) {
			throw new BadCredentialsException("token has no username");
		}
		return authenticated(token, key, username, Map.of());
	}

}
