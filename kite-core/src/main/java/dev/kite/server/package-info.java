/**
 * The serving side of a kite: the method registry, the per-connection {@link dev.kite.server.KiteSession},
 * and the {@link dev.kite.server.KiteDispatcher} pipeline every incoming message goes through
 * (route → authenticate → interceptors → invoke → map result or error → reply once).
 */
@NullMarked
package dev.kite.server;

import org.jspecify.annotations.NullMarked;
