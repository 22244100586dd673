/**
 * The Spring WebSocket endpoint of a kite: one {@link dev.kite.server.websocket.KiteWebSocketHandler}
 * behind Spring's SockJS service, which serves {@code /kite/info}, the SockJS WebSocket and XHR
 * transports, and the raw {@code /kite/websocket}.
 */
@NullMarked
package dev.kite.server.websocket;

import org.jspecify.annotations.NullMarked;
