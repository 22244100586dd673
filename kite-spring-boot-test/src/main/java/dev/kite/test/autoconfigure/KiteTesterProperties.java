package dev.kite.test.autoconfigure;

import java.time.Duration;

import dev.kite.client.Transport;
import dev.kite.test.tester.KiteTester;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code kite.test.tester.*}: how the {@link KiteTester} bean dials and waits.
 */
@ConfigurationProperties(KiteTesterProperties.PREFIX)
public class KiteTesterProperties {

	/** The prefix of these properties. */
	public static final String PREFIX = "kite.test.tester";

	/**
	 * How the tester reaches the kite endpoint: AUTO (SockJS over WebSocket, with the XHR
	 * fallback), WEBSOCKET, XHR_POLLING or RAW_WEBSOCKET (what kite.js uses).
	 */
	private Transport transport = Transport.AUTO;

	/**
	 * How long a call or a dial of the tester waits at most.
	 */
	private Duration timeout = KiteTester.DEFAULT_TIMEOUT;

	public Transport getTransport() {
		return this.transport;
	}

	public void setTransport(Transport transport) {
		this.transport = transport;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

}
