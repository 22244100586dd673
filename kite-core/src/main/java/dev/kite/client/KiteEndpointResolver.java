package dev.kite.client;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Chooses the endpoint of a {@link KiteConnection} before every dial, instead of a fixed
 * URL: a connection to "some instance of {@code /alice/production/math}" asks Kontrol
 * each time and may land on another instance after a failure (see
 * {@link KiteClientOptions.Builder#endpointResolver(KiteEndpointResolver)}).
 *
 * <p>
 * The resolution is part of the dial: it is bounded by the connection's connect timeout,
 * and a failed (or late) resolution counts as a failed dial, so it follows the reconnect
 * policy and its backoff. Calls waiting for the dial fail with the resolution's message
 * when the dial is given up.
 *
 * <p>
 * Thread safety: called from any thread (the caller of {@code connect()}, a transport
 * thread after a lost connection, or the scheduler for a retry), never concurrently for
 * one connection; it must not block: return a future that completes later.
 */
@FunctionalInterface
public interface KiteEndpointResolver {

	/**
	 * Chooses where the next dial goes.
	 * @param previous the endpoint of the previous dial (connected or failed), or
	 * {@code null} on the first dial
	 * @param reason why a dial is needed
	 * @return completes with the endpoint, or fails (e.g. no kite matches)
	 */
	CompletableFuture<KiteEndpoint> resolve(@Nullable KiteEndpoint previous, Reason reason);

	/** Why a connection asks for an endpoint. */
	enum Reason {

		/** The first dial of the connection. */
		FIRST_DIAL,

		/** The previous connection was open and was lost (or closed by the peer). */
		CONNECTION_LOST,

		/** The previous dial (or resolution) failed. */
		DIAL_FAILED

	}

}
