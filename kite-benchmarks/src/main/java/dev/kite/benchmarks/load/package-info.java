/**
 * The load generator ({@code load}), its targets ({@code serve}), our own client driving
 * a target ({@code client}) and the standard set ({@code standard}). The generator is
 * deliberately not built on {@code KiteConnection}: it sends pre-encoded dnode frames
 * over the JDK's {@code java.net.http} client and matches replies by a scan for their
 * callback id, so that it costs the machine far less than the server it measures.
 */
@NullMarked
package dev.kite.benchmarks.load;

import org.jspecify.annotations.NullMarked;
