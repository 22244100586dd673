package dev.kite.auth.provider;

import dev.kite.auth.VerifiedCredentials;
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

	private final KiteAuthoritiesConverter authorities;

	/**
	 * @param authenticator the authenticator
	 * @param authorities derives granted authorities from the verified credentials
	 */
	public KiteAuthenticatorProvider(KiteAuthenticator authenticator, KiteAuthoritiesConverter authorities) {
		this.authenticator = authenticator;
		this.authorities = authorities;
	}

	@Override
	String authType() {
		return this.authenticator.authType();
	}

	@Override
	Authentication verify(KiteAuthenticationToken token, String key) {
		String username = this.authenticator.authenticate(key, token.getCaller());
		if (username == null || username.isEmpty()) {
			throw new BadCredentialsException("token has no username");
		}
		VerifiedCredentials verified = new VerifiedCredentials(token.getAuthType(), username,
				token.getCaller().withUsername(username), Map.of());
		return KiteAuthenticationToken.authenticated(token.getAuthType(), key, verified.caller(), username,
				this.authorities.convert(verified));
	}

}
