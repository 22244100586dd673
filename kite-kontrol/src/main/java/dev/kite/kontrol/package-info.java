/**
 * Kontrol, the kite registry and token service, as a library: the Kontrol kite methods
 * ({@code register}, {@code getKites}, {@code getToken}, {@code getKey},
 * {@code registerMachine}, {@code cancelWatcher}), the HTTP register and heartbeat
 * endpoints, key pairs and tokens, per-registration heartbeats, and watchers. Wire
 * compatible with the Go Kontrol (PROTOCOL §6): Go kites, kite.js and the starter use it
 * unchanged.
 */
@NullMarked
package dev.kite.kontrol;

import org.jspecify.annotations.NullMarked;
