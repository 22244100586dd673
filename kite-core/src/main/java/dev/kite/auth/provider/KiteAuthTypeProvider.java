package dev.kite.auth.provider;

import java.util.Arrays;
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
	 * The authenticated token for cached verified credentials: the one made earlier for a
	 * caller claiming the same identity, else a new one, remembered in {@code finished}.
	 * A connection's calls present the same credentials and identity each time, so a
	 * cache hit costs no token, authorities or identity.
	 * @param token the credentials as received
	 * @param key the verified key
	 * @param username the verified username
	 * @param claims what the key claimed
	 * @param finished the answers made for these verified credentials
	 * @return the authenticated token; its caller carries {@code username}
	 */
	final Authentication authenticated(KiteAuthenticationToken token, String key, String username,
			Map<String, Object> claims, Finished finished) {
		Kite claimed = token.getCaller();
		Authentication reused = finished.find(claimed);
		if (reused != null && reusable(reused)) {
			return reused;
		}
		Authentication result = authenticated(token, key, username, claims);
		finished.remember(claimed, result);
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
	 * The authenticated tokens made for one cached verification, by the identity their
	 * callers claimed, most recent first, at most {@link #MAX_IDENTITIES}. Kept in the
	 * provider's cache entry, so they live exactly as long as the verification does.
	 *
	 * <p>
	 * Several identities per verification, not one: the kites of one user share a kite
	 * key (and the token Kontrol issues for an audience), so connections claiming
	 * different identities present the same credentials in turn. With a single entry they
	 * replaced each other's answer on almost every call (profiled: 4 connections sharing
	 * a kite key made a new token, authorities and identity for most calls). The bound
	 * keeps a caller cycling through made-up identities with one valid key from growing
	 * the cache; beyond it the least recent is dropped and made again when it returns.
	 *
	 * <p>
	 * Thread safety: an immutable array published through a volatile field; calls look up
	 * without locking. Concurrent calls may each make a token and replace the array, and
	 * the last one written wins: an answer lost that way is made again by a later call.
	 */
	static final class Finished {

		/** The most identities remembered per verification. */
		static final int MAX_IDENTITIES = 8;

		private static final Entry[] NONE = {};

		private volatile Entry[] entries = NONE;

		/**
		 * The token made for a caller claiming this identity, or {@code null}.
		 */
		@Nullable Authentication find(Kite claimed) {
			Entry[] current = this.entries;
			// Identity first: a connection's calls present the same Kite instance.
			for (Entry entry : current) {
				if (entry.claimed() == claimed) {
					return entry.authentication();
				}
			}
			for (Entry entry : current) {
				if (entry.claimed().equals(claimed)) {
					return entry.authentication();
				}
			}
			return null;
		}

		/**
		 * Remembers the token made for a caller claiming this identity, replacing an
		 * earlier one for an equal identity.
		 */
		void remember(Kite claimed, Authentication authentication) {
			Entry[] current = this.entries;
			Entry[] next = new Entry[Math.min(current.length + 1, MAX_IDENTITIES)];
			next[0] = new Entry(claimed, authentication);
			int size = 1;
			for (int i = 0; i < current.length && size < next.length; i++) {
				if (!current[i].claimed().equals(claimed)) {
					next[size++] = current[i];
				}
			}
			this.entries = (size == next.length) ? next : Arrays.copyOf(next, size);
		}

		/** How many identities are remembered. */
		int size() {
			return this.entries.length;
		}

		private record Entry(Kite claimed, Authentication authentication) {
		}

	}

}
