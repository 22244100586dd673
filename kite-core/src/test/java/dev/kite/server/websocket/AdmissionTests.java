package dev.kite.server.websocket;

import java.time.Duration;

import dev.kite.rpc.KiteWebSocketLimits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * New sessions beyond {@code maxConnections}, or beyond {@code maxSessionsPerAddress}
 * SockJS sessions from one address, are refused with 503, while plain HTTP and the open
 * sessions keep being served.
 */
class AdmissionTests {

	@Test
	void handshakesBeyondTheConnectionLimitAreRefusedWith503() throws Exception {
		KiteWebSocketLimits limits = new KiteWebSocketLimits(1024 * 1024, Duration.ofSeconds(10), 1024 * 1024, 2,
				Duration.ofMinutes(1), Duration.ofMinutes(2));
		try (TransportTestServer server = new TransportTestServer(limits, KiteEndpointSettings.builder().build());
				PeerSocket first = PeerSocket.connect(server.port, "/kite/websocket");
				PeerSocket second = PeerSocket.connect(server.port, "/kite/000/second01/websocket")) {
			assertThat(first.status()).isEqualTo(101);
			assertThat(second.status()).isEqualTo(101);
			await().atMost(Duration.ofSeconds(5)).until(() -> server.handler.sessionCount() == 2);
			try (PeerSocket raw = PeerSocket.connect(server.port, "/kite/websocket");
					PeerSocket sockJs = PeerSocket.connect(server.port, "/kite/000/third001/websocket")) {
				assertThat(raw.status()).isEqualTo(503);
				assertThat(sockJs.status()).isEqualTo(503);
			}
			assertThat(Xhr.poll(server.port, "xhrthird").statusCode()).isEqualTo(503);
			assertThat(Xhr.get(server.port, "/kite/info").statusCode()).isEqualTo(200);
			first.send(TransportTestServer.call("echo", "still"));
			assertThat(first.next()).contains("\"result\":\"still\"");
			assertThat(server.handler.sessionCount()).isEqualTo(2);

			first.close();
			await().atMost(Duration.ofSeconds(5)).until(() -> server.handler.sessionCount() == 1);
			try (PeerSocket again = PeerSocket.connect(server.port, "/kite/websocket")) {
				assertThat(again.status()).isEqualTo(101);
			}
		}
	}

	@Test
	void sockJsSessionsBeyondThePerAddressLimitAreRefusedWith503() throws Exception {
		KiteEndpointSettings settings = KiteEndpointSettings.builder().maxSessionsPerAddress(1).build();
		try (TransportTestServer server = new TransportTestServer(KiteWebSocketLimits.defaults(), settings)) {
			assertThat(Xhr.poll(server.port, "address1").body()).isEqualTo("o\n");
			// Its next poll is the same session: admitted.
			assertThat(Xhr.send(server.port, "address1", Xhr.frame(TransportTestServer.call("echo", "a"))).statusCode())
				.isEqualTo(204);
			assertThat(Xhr.poll(server.port, "address1").body()).contains("result");
			assertThat(Xhr.poll(server.port, "address2").statusCode()).isEqualTo(503);
			try (PeerSocket sockJs = PeerSocket.connect(server.port, "/kite/000/address3/websocket");
					PeerSocket raw = PeerSocket.connect(server.port, "/kite/websocket")) {
				assertThat(sockJs.status()).isEqualTo(503);
				// Raw WebSockets are not SockJS sessions: only the connection limit
				// applies.
				assertThat(raw.status()).isEqualTo(101);
			}
		}
	}

}
