/**
 * The methods every kite serves (PROTOCOL §5): {@code kite.ping}, {@code kite.heartbeat},
 * {@code kite.systemInfo} and {@code kite.log}.
 *
 * <p>
 * Not served, on purpose: {@code kite.print}, {@code kite.prompt} and
 * {@code kite.getPass} write to and read from the server's terminal. A service has no
 * operator at its terminal; serving them would let any caller block a handler thread
 * waiting for input that never comes, or write to the service's stdout. Callers get
 * {@code methodNotFound}, as from any kite that lacks them.
 */
@NullMarked
package dev.kite.rpc.builtin;

import org.jspecify.annotations.NullMarked;
