package dev.kite.server.websocket;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kite.rpc.KiteWebSocketLimits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A peer that stops reading is closed, by the watchdog (a write stuck past the send-time
 * limit) or by its bounded send buffer, while a bystander's calls keep being answered.
 * Raw sockets with a small receive buffer play the peer; the replies fill its window.
 */
class SlowPeerTests {

	private static final int MiB = 1024 * 1024;

	@Test
	void peerThatStopsReadingIsClosedWhenAWriteIsStuckPastTheSendTimeLimit() throws Exception {
		// A buffer far larger than the replies: only the watchdog can close this peer.
		KiteWebSocketLimits limits = new KiteWebSocketLimits(MiB, Duration.ofMillis(300), 256 * MiB, 100,
				Duration.ofMinutes(1), Duration.ofMinutes(2));
		try (TransportTestServer server = new TransportTestServer(limits, KiteEndpointSettings.builder().build());
				PeerSocket bystander = PeerSocket.connect(server.port, "/kite/websocket");
				PeerSocket stuck = PeerSocket.connectNotReading(server.port, "/kite/websocket")) {
			assertThat(stuck.status()).isEqualTo(101);
			// One reply larger than every socket buffer on the way: its write blocks, and
			// no later send comes to notice (as Spring's decorator would need).
			stuck.send(TransportTestServer.call("big", 16 * MiB));
			assertClosedWhileBystanderIsServed(server, bystander);
		}
	}

	@Test
	void errorRepliesToAPeerThatStopsReadingNeverHoldTheContainerThread() throws Exception {
		// methodNotFound is answered while the frame is parsed, on the container's
		// thread:
		// before replies were queued, that thread blocked on the full socket (~20 s).
		KiteWebSocketLimits limits = new KiteWebSocketLimits(MiB, Duration.ofMillis(300), 256 * MiB, 100,
				Duration.ofMinutes(1), Duration.ofMinutes(2));
		String unknown = "nope" + "x".repeat(16_000);
		try (TransportTestServer server = new TransportTestServer(limits, KiteEndpointSettings.builder().build());
				PeerSocket bystander = PeerSocket.connect(server.port, "/kite/websocket");
				PeerSocket stuck = PeerSocket.connectNotReading(server.port, "/kite/websocket")) {
			Thread flood = new Thread(() -> {
				try {
					for (int i = 0; i < 2_000; i++) {
						stuck.send(TransportTestServer.call(unknown, 1));
					}
				}
				catch (IOException ex) {
					// closed by the server, as expected
				}
			});
			flood.start();
			assertClosedWhileBystanderIsServed(server, bystander);
			flood.join(10_000);
		}
	}

	@Test
	void peerThatStopsReadingIsClosedWhenItsSendBufferOverflows() throws Exception {
		// A send-time limit far in the future: only the buffer bound can close this peer.
		KiteWebSocketLimits limits = new KiteWebSocketLimits(MiB, Duration.ofMinutes(5), 512 * 1024, 100,
				Duration.ofMinutes(1), Duration.ofMinutes(2));
		try (TransportTestServer server = new TransportTestServer(limits, KiteEndpointSettings.builder().build());
				PeerSocket bystander = PeerSocket.connect(server.port, "/kite/websocket");
				PeerSocket stuck = PeerSocket.connectNotReading(server.port, "/kite/websocket")) {
			for (int i = 0; i < 64; i++) {
				stuck.send(TransportTestServer.call("big", 256 * 1024));
			}
			assertClosedWhileBystanderIsServed(server, bystander);
		}
	}

	/**
	 * Calls {@code echo} on the bystander, each answered within 2 s (its socket timeout),
	 * until the stuck peer's session is gone (5 s at most).
	 */
	private static void assertClosedWhileBystanderIsServed(TransportTestServer server, PeerSocket bystander) {
		AtomicInteger answered = new AtomicInteger();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
			bystander.send(TransportTestServer.call("echo", "hi"));
			assertThat(bystander.next()).contains("\"result\":\"hi\"");
			answered.incrementAndGet();
			assertThat(server.handler.sessionCount()).isEqualTo(1);
		});
		assertThat(answered).hasPositiveValue();
	}

}
