package dev.kite.client;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KiteTransportsTest {

	@Test
	void rawWebSocketUrls() {
		assertThat(KiteTransports.rawWebSocketUrl(URI.create("http://h:3636/kite"), Transport.RAW_WEBSOCKET))
			.isEqualTo(URI.create("ws://h:3636/kite/websocket"));
		assertThat(KiteTransports.rawWebSocketUrl(URI.create("https://h/kite/?x=1"), Transport.RAW_WEBSOCKET))
			.isEqualTo(URI.create("wss://h/kite/websocket?x=1"));
		// ws(s) URLs are dialed verbatim whatever the transport
		assertThat(KiteTransports.rawWebSocketUrl(URI.create("wss://h/custom"), Transport.AUTO))
			.isEqualTo(URI.create("wss://h/custom"));
		// http(s) URLs go through SockJS unless RAW_WEBSOCKET is asked for
		assertThat(KiteTransports.rawWebSocketUrl(URI.create("http://h/kite"), Transport.WEBSOCKET)).isNull();
		assertThat(KiteTransports.rawWebSocketUrl(URI.create("http://h/kite"), Transport.XHR_POLLING)).isNull();
	}

	@Test
	void sockJsBaseUrlsLoseTrailingSlashes() {
		assertThat(KiteTransports.withoutTrailingSlash(URI.create("http://h:1/kite/")))
			.isEqualTo(URI.create("http://h:1/kite"));
		assertThat(KiteTransports.withoutTrailingSlash(URI.create("http://h:1/kite//?a=b")))
			.isEqualTo(URI.create("http://h:1/kite?a=b"));
		assertThat(KiteTransports.withoutTrailingSlash(URI.create("http://h:1/kite")))
			.isEqualTo(URI.create("http://h:1/kite"));
	}

}
