/**
 * The dialing side of a kite: {@link dev.kite.client.KiteConnection} (one connection to
 * one kite), created by a {@link dev.kite.client.KiteClientFactory} from
 * {@link dev.kite.client.KiteClientOptions}.
 *
 * <p>
 * A client sends calls with the kite envelope ({@code kite, authentication, withArgs,
 * responseCallback}), completes a {@code CompletableFuture} when the peer answers, fails
 * it locally with Go's error types ({@code timeout}, {@code disconnect},
 * {@code sendError}, {@code invalidResponse}), and serves the peer's calls on the same
 * connection through the same {@link dev.kite.rpc.KiteDispatcher} pipeline a server uses.
 * Transports: SockJS over WebSocket (default), SockJS XHR polling, and raw WebSocket, all
 * through Spring's WebSocket and SockJS clients.
 */
@NullMarked
package dev.kite.client;

import org.jspecify.annotations.NullMarked;
