package dev.kite.autoconfigure.e2e;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code kite.server.websocket-message-buffer-size=1KB} and
 * {@code kite.server.tomcat-socket-buffer-size=2KB}, an idle kite connection (a raw
 * WebSocket that sent nothing, a SockJS one that got its {@code o} frame) costs at most
 * 50 KiB of heap; Tomcat's defaults (message buffers 8 K characters and 8 KiB, socket
 * buffers 8 KiB each) cost about 75 KiB, which the kite cannot shrink on a connection
 * that never sends. Measured as retained heap around 100 raw and 100 SockJS connections;
 * the peers are bare sockets, so what is retained is the server's.
 */
@SpringBootTest(classes = TestKiteApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "kite.server.websocket-message-buffer-size=1KB", "kite.server.tomcat-socket-buffer-size=2KB" })
class IdleConnectionMemoryEndToEndTests {

	// Measured: about 42 KiB.
	private static final long BOUND_PER_CONNECTION = 50 * 1024;

	@LocalServerPort
	int port;

	@Test
	void anIdleConnectionCostsAtMostFiftyKib() throws Exception {
		assertThat(ConnectionMemoryEndToEndTests.retainedHeapPerConnection(this::open, "idle kite connection"))
			.isLessThan(BOUND_PER_CONNECTION);
	}

	private List<RawWebSocket> open(int perKind, String prefix) throws Exception {
		List<RawWebSocket> connections = new ArrayList<>();
		for (int i = 0; i < perKind; i++) {
			RawWebSocket raw = RawWebSocket.connect(this.port, "/kite/websocket", null);
			connections.add(raw);
			assertThat(raw.status()).isEqualTo(101);
			RawWebSocket sockJs = RawWebSocket.connect(this.port, "/kite/000/" + prefix + i + "/websocket", null);
			connections.add(sockJs);
			assertThat(sockJs.status()).isEqualTo(101);
			assertThat(sockJs.next()).isEqualTo("o");
		}
		return connections;
	}

}
