/**
 * The storage SPI of Kontrol: {@link dev.kite.kontrol.store.KiteStore} for registrations
 * and {@link dev.kite.kontrol.store.KeyPairStore} for Kontrol's key pairs, with the
 * semantics of the Go Kontrol's PostgreSQL backend (PROTOCOL §6.10, §6.12), so that Go
 * and Java Kontrols can share one database.
 */
@NullMarked
package dev.kite.kontrol.store;

import org.jspecify.annotations.NullMarked;
