/**
 * The serving side of a kite: {@code @KiteMethod} beans turned into methods
 * ({@link dev.kite.server.method}) and the WebSocket/SockJS endpoint that accepts
 * connections ({@link dev.kite.server.websocket}). The pipeline each call goes through
 * lives in {@link dev.kite.rpc}, shared with the client.
 */
@NullMarked
package dev.kite.server;

import org.jspecify.annotations.NullMarked;
