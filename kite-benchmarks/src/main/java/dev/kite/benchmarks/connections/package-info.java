/**
 * The {@code connections} benchmark: many concurrent kite connections to one server of
 * our stack (embedded Tomcat, the production endpoint), each served one call, and the
 * server's heap per connection after a full collection.
 */
@NullMarked
package dev.kite.benchmarks.connections;

import org.jspecify.annotations.NullMarked;
