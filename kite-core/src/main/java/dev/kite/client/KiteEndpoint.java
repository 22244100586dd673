package dev.kite.client;

import java.net.URI;
import java.util.Objects;

import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import org.jspecify.annotations.Nullable;

/**
 * Where one dial of a resolved {@link KiteConnection} goes: the URL, the
 * {@code authentication} to send on that connection, and which kite the resolver picked.
 *
 * @param url the kite's URL, as {@link KiteClientOptions#url()} (SockJS base
 * {@code http(s)://…/kite} or raw {@code ws(s)://…/kite/websocket})
 * @param auth the {@code authentication} for calls on this connection (e.g. the token
 * Kontrol minted for this kite), or {@code null} to keep the connection's current one
 * @param kite the identity of the kite at that URL when the resolver knows it (a kite
 * found through Kontrol), or {@code null}; a token renewer asks Kontrol for a token for
 * this kite
 */
public record KiteEndpoint(URI url, @Nullable Auth auth, @Nullable Kite kite) {

	public KiteEndpoint {
		Objects.requireNonNull(url, "url");
		KiteClientOptions.requireKiteUrl(url);
	}

}
