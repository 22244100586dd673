/**
 * The Spring WebSocket endpoint of a kite: one
 * {@link dev.kite.server.websocket.KiteWebSocketHandler} behind the kite SockJS service,
 * which serves {@code /kite/info}, the SockJS WebSocket and XHR transports, and the raw
 * {@code /kite/websocket}. {@link dev.kite.server.websocket.KiteEndpointRegistrar} builds
 * it from {@link dev.kite.server.websocket.KiteEndpointSettings} (used by the Boot
 * auto-configuration and by tests alike);
 * {@link dev.kite.server.websocket.KiteServerCustomizer}s adjust the SockJS service.
 */
@NullMarked
package dev.kite.server.websocket;

import org.jspecify.annotations.NullMarked;
