package dev.kite.server.websocket;

import java.time.Duration;

import dev.kite.rpc.KiteWebSocketLimits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A silent raw WebSocket is pinged after the ping interval; one that answers keeps its
 * session, one that does not is closed with 1001 after the idle timeout. The intervals
 * are scaled down through the limits.
 */
class RawWebSocketIdleTests {

	private static final KiteWebSocketLimits LIMITS = new KiteWebSocketLimits(1024 * 1024, Duration.ofSeconds(10),
			1024 * 1024, 100, Duration.ofMillis(100), Duration.ofMillis(400));

	@Test
	void aPeerThatAnswersPingsKeepsItsSession() throws Exception {
		try (TransportTestServer server = new TransportTestServer(LIMITS, KiteEndpointSettings.builder().build());
				PeerSocket peer = PeerSocket.connect(server.port, "/kite/websocket")) {
			// Six pings answered span well over the idle timeout.
			for (int pings = 0; pings < 6;) {
				PeerSocket.Frame frame = peer.nextFrame();
				assertThat(frame.opcode()).isEqualTo(PeerSocket.PING);
				peer.pong(frame.payload());
				pings++;
			}
			peer.send(TransportTestServer.call("echo", "alive"));
			assertThat(peer.next()).contains("\"result\":\"alive\"");
			assertThat(server.handler.sessionCount()).isEqualTo(1);
		}
	}

	@Test
	void aPeerThatStaysSilentIsClosedWithGoingAway() throws Exception {
		try (TransportTestServer server = new TransportTestServer(LIMITS, KiteEndpointSettings.builder().build());
				PeerSocket peer = PeerSocket.connect(server.port, "/kite/websocket")) {
			PeerSocket.Frame frame = peer.nextFrame();
			while (frame.opcode() == PeerSocket.PING) {
				frame = peer.nextFrame();
			}
			assertThat(frame.opcode()).isEqualTo(PeerSocket.CLOSE);
			assertThat(frame.closeCode()).isEqualTo(1001);
		}
	}

}
