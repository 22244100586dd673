/**
 * Auto-configuration of a Kontrol (the kite registry and token service of
 * {@code kite-kontrol}) served by the application's own web server, under
 * {@code kite.kontrol.server.*}: its key pair and kite key, stores, WebSocket/SockJS
 * endpoint and the HTTP {@code register}/{@code heartbeat} endpoints.
 */
@NullMarked
package dev.kite.autoconfigure.kontrol;

import org.jspecify.annotations.NullMarked;
