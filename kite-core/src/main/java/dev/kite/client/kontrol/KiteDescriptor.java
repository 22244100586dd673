package dev.kite.client.kontrol;

import java.util.Objects;

import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteWithToken;

/**
 * A kite Kontrol found: who it is, where to dial it, and a token Kontrol minted for
 * calling it (PROTOCOL §6.4).
 *
 * @param kite the kite's identity
 * @param url its URL as registered (normally the SockJS base {@code http(s)://…/kite});
 * Kontrol does not check it, so it may not be dialable
 * @param token the JWT to send as {@code {"type":"token","key":…}}
 */
public record KiteDescriptor(Kite kite, String url, String token) {

	public KiteDescriptor {
		Objects.requireNonNull(kite, "kite");
		Objects.requireNonNull(url, "url");
		Objects.requireNonNull(token, "token");
	}

	/** The descriptor of one {@code getKites} result. */
	public static KiteDescriptor of(KiteWithToken found) {
		return new KiteDescriptor(found.kite(), found.url(), found.token());
	}

}
