package dev.kite.client;

import java.net.URI;
import java.time.Duration;

import dev.kite.rpc.sockjs.KiteSockJsMessageCodec;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.sockjs.client.SockJsClient;

import static org.assertj.core.api.Assertions.assertThat;

class KiteTransportsTest {

	@Test
	void sockJsFramesAreCodedInOnePassAsTheServerDoes() {
		KiteTransports transports = KiteTransports.create(null, 65536, Duration.ofSeconds(1));
		try {
			assertThat(transports.sockJsClients()).hasSize(3)
				.allSatisfy(
						(client) -> assertThat(client.getMessageCodec()).isInstanceOf(KiteSockJsMessageCodec.class));
			// what the client sends is Spring's encoding minus the "a" (a frame letter
			// only servers write): a JSON array of JSON strings
			SockJsClient client = transports.sockJsClients().get(1);
			assertThat(client.getMessageCodec().encode("{\"method\":\"x\",\"s\":\"\u2028\"}").substring(1))
				.isEqualTo("[\"{\\\"method\\\":\\\"x\\\",\\\"s\\\":\\\"\\u2028\\\"}\"]");
		}
		finally {
			transports.stop();
		}
	}

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
