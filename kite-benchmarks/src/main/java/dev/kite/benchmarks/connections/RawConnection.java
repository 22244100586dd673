package dev.kite.benchmarks.connections;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain blocking socket: one handshake, masked text frames out,
 * text frames in (a server ping is answered, other control frames skipped). It holds no
 * thread and a few hundred bytes while idle, so one process can keep ten thousand of them
 * open against the server it measures.
 *
 * <p>
 * Threads: used by one thread at a time.
 */
final class RawConnection implements AutoCloseable {

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private RawConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new DataInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	/**
	 * Opens a WebSocket to {@code path} on the loopback port.
	 * @param port the server's port
	 * @param path the request path, e.g. {@code /kite/websocket}
	 * @param timeoutMillis the bound on connecting and on every read
	 * @return the open connection
	 * @throws IOException when the socket fails or the server does not answer 101
	 */
	static RawConnection open(int port, String path, int timeoutMillis) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
			socket.setSoTimeout(timeoutMillis);
			socket.setTcpNoDelay(true);
			RawConnection connection = new RawConnection(socket);
			connection.handshake(path);
			return connection;
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	private void handshake(String path) throws IOException {
		byte[] nonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(nonce);
		String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
				+ "\r\nSec-WebSocket-Version: 13\r\n\r\n";
		this.out.write(request.getBytes(StandardCharsets.US_ASCII));
		this.out.flush();
		String head = readHead(this.in);
		if (!head.startsWith("HTTP/1.1 101")) {
			throw new IOException("Handshake refused: " + head.lines().findFirst().orElse(""));
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream(256);
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("Connection closed during the handshake");
			}
			head.write(b);
			matched = (b == ((matched % 2 == 0) ? '\r' : '\n')) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	/**
	 * Sends one masked text frame.
	 * @param text the message
	 * @throws IOException when the socket fails
	 */
	void send(String text) throws IOException {
		sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
	}

	private void sendFrame(int opcode, byte[] payload) throws IOException {
		ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
		frame.write(0x80 | opcode);
		if (payload.length < 126) {
			frame.write(0x80 | payload.length);
		}
		else if (payload.length < 65536) {
			frame.write(0x80 | 126);
			frame.write(payload.length >> 8);
			frame.write(payload.length);
		}
		else {
			frame.write(0x80 | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				frame.write((int) ((long) payload.length >> shift));
			}
		}
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		frame.write(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i & 3]);
		}
		frame.writeTo(this.out);
		this.out.flush();
	}

	/**
	 * The next text message (single frame, as the kite server sends them).
	 * @return the text
	 * @throws IOException when the socket fails, times out or the server closes
	 */
	String next() throws IOException {
		while (true) {
			int first = this.in.readUnsignedByte();
			int second = this.in.readUnsignedByte();
			long length = second & 0x7F;
			if (length == 126) {
				length = this.in.readUnsignedShort();
			}
			else if (length == 127) {
				length = this.in.readLong();
			}
			if (length > Integer.MAX_VALUE - 8) {
				throw new IOException("Frame too large: " + length);
			}
			byte[] payload = new byte[(int) length];
			this.in.readFully(payload);
			int opcode = first & 0x0F;
			if (opcode == 0x1) {
				return new String(payload, StandardCharsets.UTF_8);
			}
			if (opcode == 0x8) {
				throw new IOException("Closed by the server");
			}
			if (opcode == 0x9) {
				sendFrame(0xA, payload);
			}
		}
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// Nothing left to release.
		}
	}

}
