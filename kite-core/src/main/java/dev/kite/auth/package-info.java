/**
 * Authentication of kite calls through Spring Security: each call's
 * {@code authentication} object becomes a {@link dev.kite.auth.KiteAuthenticationToken},
 * which the {@link dev.kite.auth.KiteAuthenticationManager} hands to the
 * {@code AuthenticationProvider} for its type.
 */
@NullMarked
package dev.kite.auth;

import org.jspecify.annotations.NullMarked;
