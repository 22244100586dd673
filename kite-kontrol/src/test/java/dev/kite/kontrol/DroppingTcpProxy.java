package dev.kite.kontrol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;

/**
 * A TCP forwarder on an ephemeral port in front of a server, whose connections the test
 * can cut (a network failure between a client and its server: open connections drop, new
 * ones are closed at once) and restore, so the client's redials fail until then.
 *
 * <p>
 * Thread safety: one accept thread and two copy threads per connection, on the given
 * executor; {@link #cut()}, {@link #restore()} and {@link #close()} may be called from
 * any thread.
 */
final class DroppingTcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final int targetPort;

	private final ExecutorService executor;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private volatile boolean down;

	DroppingTcpProxy(int targetPort, ExecutorService executor) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.targetPort = targetPort;
		this.executor = executor;
		executor.execute(this::accept);
	}

	int port() {
		return this.server.getLocalPort();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				if (this.down) {
					closeQuietly(client); // the network is down: the dial fails
					continue;
				}
				Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
				this.sockets.add(client);
				this.sockets.add(upstream);
				this.executor.execute(() -> copy(client, upstream));
				this.executor.execute(() -> copy(upstream, client));
			}
			catch (IOException ex) {
				// closed, or the target refused: the client sees its dial fail
			}
		}
	}

	private void copy(Socket from, Socket to) {
		byte[] buffer = new byte[8192];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// cut
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	/** Cuts every connection open now and refuses new ones until {@link #restore()}. */
	void cut() {
		this.down = true;
		dropConnections();
	}

	/** Accepts connections again. */
	void restore() {
		this.down = false;
	}

	private void dropConnections() {
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
		this.sockets.clear();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		dropConnections();
	}

}
