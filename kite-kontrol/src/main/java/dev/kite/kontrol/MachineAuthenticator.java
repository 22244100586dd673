package dev.kite.kontrol;

import java.util.Optional;

import dev.kite.rpc.KiteInvocation;

/**
 * Decides who may obtain a kite key through {@code registerMachine} (PROTOCOL §6.7), the
 * one Kontrol method that needs no authentication. Go's {@code MachineAuthenticate} hook.
 * Without one, Kontrol refuses every {@code registerMachine} call with Go's
 * {@code no valid authentication key found}: it never mints kite keys for anyone by
 * default.
 *
 * <p>
 * Implementations must be thread-safe: request threads call them concurrently.
 */
@FunctionalInterface
public interface MachineAuthenticator {

	/**
	 * Authenticates a machine.
	 * @param authType the {@code authType} the caller sent (may be empty)
	 * @param invocation the call: its arguments, the caller's claimed identity
	 * ({@code invocation.request().caller()}, whose username is what Go issues the key
	 * for) and its session
	 * @return the username to issue a kite key for, or empty to refuse (the caller gets
	 * Go's {@code cannot authenticate user})
	 */
	Optional<String> authenticate(String authType, KiteInvocation invocation);

}
