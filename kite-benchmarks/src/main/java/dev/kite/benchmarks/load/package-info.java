/**
 * The load generator ({@code load}), its targets ({@code serve}), our own client driving
 * a target ({@code client}) and the standard set ({@code standard}). The generator is
 * deliberately not built on {@code KiteConnection}: it sends pre-encoded dnode frames
 * (over its own NIO WebSocket client, or the JDK's {@code HttpClient} for XHR) and
 * matches replies by a scan of their bytes for the callback id, so that it costs the
 * machine far less than the server it measures.
 */
@NullMarked
package dev.kite.benchmarks.load;

import org.jspecify.annotations.NullMarked;
