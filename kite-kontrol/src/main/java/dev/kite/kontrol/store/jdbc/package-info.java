/**
 * PostgreSQL {@link dev.kite.kontrol.store.KiteStore} and
 * {@link dev.kite.kontrol.store.KeyPairStore} on the Go Kontrol's schema (PROTOCOL
 * §6.12), so that Go and Java Kontrols can share one database, with changes broadcast to
 * every instance by {@code LISTEN/NOTIFY}. Create the schema with
 * {@link dev.kite.kontrol.store.jdbc.KontrolSchema#createIfMissing}. Needs
 * {@code org.springframework:spring-jdbc} and {@code org.postgresql:postgresql} on the
 * classpath (optional dependencies of this module).
 */
@NullMarked
package dev.kite.kontrol.store.jdbc;

import org.jspecify.annotations.NullMarked;
