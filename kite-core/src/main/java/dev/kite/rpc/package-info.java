/**
 * What both ends of a kite connection share, owned by neither the server nor the client:
 * the per-connection {@link dev.kite.rpc.KiteSession}, the method registry, the
 * {@link dev.kite.rpc.KiteDispatcher} pipeline every incoming message goes through (route
 * → authenticate → interceptors → invoke → map result or error → reply once), the serial
 * executor for callbacks, and the per-connection limits. A dialed connection serves the
 * peer's calls through the same pipeline a server uses.
 */
@NullMarked
package dev.kite.rpc;

import org.jspecify.annotations.NullMarked;
