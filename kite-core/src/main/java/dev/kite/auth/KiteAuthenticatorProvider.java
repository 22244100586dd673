package dev.kite.auth;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * Adapts a {@link KiteAuthenticator} to Spring Security: answers only for its auth type.
 */
public final class KiteAuthenticatorProvider implements AuthenticationProvider {

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
	public @Nullable Authentication authenticate(Authentication authentication) {
		if (!(authentication instanceof KiteAuthenticationToken token)
				|| !this.authenticator.authType().equals(token.getAuthType())) {
			return null;
		}
		String key = (String) token.getCredentials();
		String username = this.authenticator.authenticate(key, token.getCaller());
		if (username == null || username.isEmpty()) {
			throw new BadCredentialsException("token has no username");
		}
		VerifiedCredentials verified = new VerifiedCredentials(token.getAuthType(), username,
				token.getCaller().withUsername(username), Map.of());
		return KiteAuthenticationToken.authenticated(token.getAuthType(), key, verified.caller(), username,
				this.authorities.convert(verified));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return KiteAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
