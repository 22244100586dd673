/**
 * The {@code kontrol} benchmark: a real Java Kontrol (memory or PostgreSQL store) served
 * on embedded Tomcat through kite-core's endpoint, measured over real kite connections.
 */
@NullMarked
package dev.kite.benchmarks.kontrol;

import org.jspecify.annotations.NullMarked;
