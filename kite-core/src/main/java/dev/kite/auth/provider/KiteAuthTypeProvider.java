package dev.kite.auth.provider;

import java.util.Map;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.auth.KiteAuthoritiesConverter;
import dev.kite.auth.VerifiedCredentials;
import dev.kite.protocol.Kite;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * An {@link AuthenticationProvider} for one kite auth type: it answers {@code null} (not
 * mine) for anything but a {@link KiteAuthenticationToken} of that type, as
 * {@link KiteAuthenticationManager} expects, and verifies the rest. Every provider
 * answers a verification the same way ({@link #authenticated}): the caller's identity
 * gets the verified username, and the {@link KiteAuthoritiesConverter} grants the
 * authorities.
 */
abstract class KiteAuthTypeProvider implements AuthenticationProvider {

	private final String authType;

	private final KiteAuthoritiesConverter authoritiesConverter;

	/**
	 * @param authType the auth type this provider verifies
	 * @param authoritiesConverter grants authorities to verified callers
	 */
	KiteAuthTypeProvider(String authType, KiteAuthoritiesConverter authoritiesConverter) {
		this.authType = authType;
		this.authoritiesConverter = authoritiesConverter;
	}

	@Override
	public final boolean supports(Class<?> authentication) {
		return KiteAuthenticationToken.class.isAssignableFrom(authentication);
	}

	@Override
	public final @Nullable Authentication authenticate(Authentication authentication) throws AuthenticationException {
		if (!(authentication instanceof KiteAuthenticationToken token) || !this.authType.equals(token.getAuthType())) {
			return null;
		}
		return verify(token, (String) token.getCredentials());
	}

	/**
	 * Verifies a token of this provider's type.
	 * @param token the credentials
	 * @param key the key
	 * @return the authenticated token
	 * @throws AuthenticationException when verification fails (the message is the bare
	 * reason)
	 */
	abstract Authentication verify(KiteAuthenticationToken token, String key) throws AuthenticationException;

	/**
	 * The authenticated token for verified credentials of this provider's type.
	 * @param token the credentials as received
	 * @param key the verified key
	 * @param username the verified username
	 * @param claims what the key claimed (a JWT's claims), for the authorities converter
	 * @return the authenticated token; its caller carries {@code username}
	 */
	final Authentication authenticated(KiteAuthenticationToken token, String key, String username,
			Map<String, Object> claims) {
		Kite caller = token.getCaller().withUsername(username);
		VerifiedCredentials credentials = new VerifiedCredentials(this.authType, username, caller, claims);
		return KiteAuthenticationToken.authenticated(this.authType, key, caller, username,
				this.authoritiesConverter.convert(credentials));
	}

	/**
	 * The authenticated token for cached verified credentials: the one made for the
	 * previous call when the caller claims the same identity, else a new one, remembered
	 * in {@code finished}. A connection's calls present the same credentials and identity
	 * each time, so a cache hit costs no token, authorities or identity.
	 * @param token the credentials as received
	 * @param key the verified key
	 * @param username the verified username
	 * @param claims what the key claimed
	 * @param finished the last answer made for these verified credentials
	 * @return the authenticated token; its caller carries {@code username}
	 */
	final Authentication authenticated(KiteAuthenticationToken token, String key, String username,
			Map<String, Object> claims, Finished finished) {
		Kite claimed = token.getCaller();
		Finished.Entry entry = finished.last;
		if (entry != null && entry.claimed().equals(claimed) && reusable(entry.authentication())) {
			return entry.authentication();
		}
		Authentication result = authenticated(token, key, username, claims);
		finished.last = new Finished.Entry(claimed, result);
		return result;
	}

	/**
	 * Whether a shared answer is as it was made: a token is mutable ({@code details},
	 * {@code authenticated}), and one someone changed is not handed out again.
	 */
	private static boolean reusable(Authentication authentication) {
		return authentication.isAuthenticated() && authentication.getDetails() == null;
	}

	/**
	 * The last authenticated token made for one cached verification, with the identity
	 * its caller claimed. Kept in the provider's cache entry, so it lives exactly as long
	 * as the verification does.
	 *
	 * <p>
	 * Thread safety: one immutable entry published through a volatile field; concurrent
	 * calls may each make a token, and the last one written wins.
	 */
	static final class Finished {

		private volatile @Nullable Entry last;

		private record Entry(Kite claimed, Authentication authentication) {
		}

	}

}
