package dev.kite.auth;

import java.util.Collection;
import java.util.List;

import dev.kite.protocol.Kite;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A kite call's credentials as Spring Security sees them. Unauthenticated, it carries the
 * {@code authentication} object of the envelope (type and key) and the caller's claimed
 * identity; authenticated, its name is the verified username.
 */
public final class KiteAuthenticationToken extends AbstractAuthenticationToken {

	private final String authType;

	private final String key;

	private final Kite caller;

	private final String username;

	private KiteAuthenticationToken(String authType, String key, Kite caller, String username,
			@Nullable Collection<? extends GrantedAuthority> authorities, boolean authenticated) {
		super(authorities);
		this.authType = authType;
		this.key = key;
		this.caller = caller;
		this.username = username;
		super.setAuthenticated(authenticated);
	}

	/**
	 * Credentials to verify.
	 * @param authType {@code kiteKey}, {@code token}, or an application type
	 * @param key the credential
	 * @param caller the identity the caller claims
	 * @return an unauthenticated token
	 */
	public static KiteAuthenticationToken unauthenticated(String authType, String key, Kite caller) {
		return new KiteAuthenticationToken(authType, key, caller, "", List.of(), false);
	}

	/**
	 * Verified credentials.
	 * @param authType the verified type
	 * @param key the credential
	 * @param caller the caller's identity
	 * @param username the verified username
	 * @param authorities the granted authorities
	 * @return an authenticated token
	 */
	public static KiteAuthenticationToken authenticated(String authType, String key, Kite caller, String username,
			Collection<? extends GrantedAuthority> authorities) {
		return new KiteAuthenticationToken(authType, key, caller, username, authorities, true);
	}

	/** The authentication type. */
	public String getAuthType() {
		return this.authType;
	}

	/**
	 * The caller's identity, as claimed (or, once verified, with the verified username).
	 */
	public Kite getCaller() {
		return this.caller;
	}

	@Override
	public Object getCredentials() {
		return this.key;
	}

	@Override
	public Object getPrincipal() {
		return this.username.isEmpty() ? this.caller.username() : this.username;
	}

	@Override
	public String getName() {
		return (String) getPrincipal();
	}

	@Override
	public void setAuthenticated(boolean authenticated) {
		if (authenticated) {
			throw new IllegalArgumentException("Use KiteAuthenticationToken.authenticated(..) for a verified token");
		}
		super.setAuthenticated(false);
	}

	@Override
	public void eraseCredentials() {
		// The key is needed to answer token-expiry questions later in the call; it is
		// never logged.
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return super.equals(other);
	}

	@Override
	public int hashCode() {
		return super.hashCode();
	}

}
