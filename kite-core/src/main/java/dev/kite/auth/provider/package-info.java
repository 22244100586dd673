/**
 * Spring Security {@code AuthenticationProvider}s, one per kite authentication type
 * ({@code kiteKey}, {@code token}, and user-defined
 * {@link dev.kite.auth.KiteAuthenticator}s), with the bounded cache of verified
 * credentials.
 */
@NullMarked
package dev.kite.auth.provider;

import org.jspecify.annotations.NullMarked;
