package dev.kite.client;

import java.net.URI;

/**
 * Dialing a kite failed: the host is unreachable, the handshake was refused, TLS failed,
 * or no session opened within the connect timeout. The cause has the transport's own
 * error.
 *
 * <p>
 * Thread safety: immutable once thrown.
 */
public class KiteConnectException extends RuntimeException {

	private final URI url;

	/**
	 * @param url the URL that was dialed
	 * @param cause the transport's error
	 */
	public KiteConnectException(URI url, Throwable cause) {
		super("Cannot connect to " + url + ": " + cause, cause);
		this.url = url;
	}

	/** The URL that was dialed. */
	public URI url() {
		return this.url;
	}

}
