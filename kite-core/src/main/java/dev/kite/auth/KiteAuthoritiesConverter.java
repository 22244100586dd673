package dev.kite.auth;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Turns verified kite credentials into Spring Security authorities, as a
 * {@code JwtAuthenticationConverter} does for bearer tokens.
 *
 * <p>
 * Implementations are called on request threads, concurrently, and must be thread-safe.
 * The {@code kiteKey} and {@code token} providers call the converter once per verified
 * key and caller identity and hand the same authorities to later calls that present them
 * while the verification is cached; a custom {@code KiteAuthenticator}'s provider calls
 * it on every request.
 */
@FunctionalInterface
public interface KiteAuthoritiesConverter {

	/** Prefix of the default authorities. */
	String AUTHORITY_PREFIX = "KITE_AUTH_";

	/**
	 * @param credentials what was verified
	 * @return the authorities to grant
	 */
	Collection<? extends GrantedAuthority> convert(VerifiedCredentials credentials);

	/**
	 * The default: one authority {@code KITE_AUTH_<TYPE>}, the auth type upper-cased in
	 * the root locale with nothing else changed: {@code KITE_AUTH_TOKEN} for
	 * {@code token}, {@code KITE_AUTH_KITEKEY} for {@code kiteKey}.
	 * @return the default converter
	 */
	static KiteAuthoritiesConverter byAuthType() {
		return (credentials) -> List
			.of(new SimpleGrantedAuthority(AUTHORITY_PREFIX + credentials.authType().toUpperCase(Locale.ROOT)));
	}

}
