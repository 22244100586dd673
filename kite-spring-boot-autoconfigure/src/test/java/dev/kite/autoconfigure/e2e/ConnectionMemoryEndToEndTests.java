package dev.kite.autoconfigure.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An open kite connection that has exchanged a message costs tens of KiB of heap, not a
 * buffer the size of the message limit (Tomcat used to allocate and keep one of ~2 M
 * characters per connection on its first frame once the handler raised the container's
 * limit). Measured as retained heap around 100 raw and 100 SockJS WebSocket connections,
 * each after one call; the peers are bare sockets, so what is retained is the server's.
 */
@SpringBootTest(classes = TestKiteApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConnectionMemoryEndToEndTests {

	private static final int CONNECTIONS_PER_KIND = 100;

	// Measured: 58-62 KiB (Tomcat's socket buffers and WebSocket input, output and
	// encoder buffers, 40 KiB, the 8 KiB binary message buffer it keeps, the text buffer
	// the kite shrank to 2 KiB, and ~9 KiB of session objects). A buffer as large as the
	// message limit, or the 16 KiB text buffer kept, fails it.
	private static final long BOUND_PER_CONNECTION = 70 * 1024;

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Test
	void aConnectionAfterItsFirstMessageCostsTensOfKib() throws Exception {
		assertThat(retainedHeapPerConnection(this::open, "kite connection")).isLessThan(BOUND_PER_CONNECTION);
	}

	/**
	 * The heap the server retains per connection: after a warm-up (classes, pools and
	 * caches that the first connections create once), the heap after a GC with
	 * {@value #CONNECTIONS_PER_KIND} connections of each kind open less the heap before
	 * they opened, divided by their number. Closes them after.
	 * @param opener opens a number of connections of each kind, naming them with a prefix
	 * @param what names the connections in the printed figure
	 * @return bytes per connection
	 * @throws Exception when a connection cannot be opened
	 */
	static long retainedHeapPerConnection(Opener opener, String what) throws Exception {
		closeAll(opener.open(10, "warm"));
		long before = usedHeapAfterGc();
		List<RawWebSocket> connections = opener.open(CONNECTIONS_PER_KIND, "measured");
		long after = usedHeapAfterGc();
		try {
			long perConnection = (after - before) / connections.size();
			System.out.printf("Retained heap per %s: %,d bytes (%d connections)%n", what, perConnection,
					connections.size());
			return perConnection;
		}
		finally {
			closeAll(connections);
		}
	}

	/** Opens connections for {@link #retainedHeapPerConnection}. */
	@FunctionalInterface
	interface Opener {

		List<RawWebSocket> open(int perKind, String prefix) throws Exception;

	}

	private List<RawWebSocket> open(int perKind, String prefix) throws Exception {
		List<RawWebSocket> connections = new ArrayList<>();
		String ping = OriginEndToEndTests.PING;
		for (int i = 0; i < perKind; i++) {
			RawWebSocket raw = RawWebSocket.connect(this.port, "/kite/websocket", null);
			connections.add(raw);
			assertThat(raw.status()).isEqualTo(101);
			raw.send(ping);
			assertThat(raw.next()).contains("pong");
			RawWebSocket sockJs = RawWebSocket.connect(this.port, "/kite/000/" + prefix + i + "/websocket", null);
			connections.add(sockJs);
			assertThat(sockJs.status()).isEqualTo(101);
			assertThat(sockJs.next()).isEqualTo("o");
			sockJs.send(this.json.writeValueAsString(new String[] { ping }));
			assertThat(sockJs.next()).startsWith("a[").contains("pong");
		}
		return connections;
	}

	private static void closeAll(List<RawWebSocket> connections) throws Exception {
		for (RawWebSocket connection : connections) {
			connection.close();
		}
	}

	/**
	 * Heap in use after a few collections (one may leave objects that a finalizer or
	 * cleaner frees).
	 */
	static long usedHeapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			System.gc();
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

}
