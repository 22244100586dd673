/**
 * In-memory {@link dev.kite.kontrol.store.KiteStore} and
 * {@link dev.kite.kontrol.store.KeyPairStore}: for a single Kontrol instance, tests and
 * development. Nothing survives a restart; kites heal by re-registering (PROTOCOL §6.8).
 */
@NullMarked
package dev.kite.kontrol.store.memory;

import org.jspecify.annotations.NullMarked;
