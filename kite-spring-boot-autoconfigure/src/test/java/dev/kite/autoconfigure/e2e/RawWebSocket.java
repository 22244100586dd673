package dev.kite.autoconfigure.e2e;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/**
 * A WebSocket peer on a bare socket, for tests that need what the JDK's client hides: the
 * status of a refused upgrade, an exact {@code Origin} header, or hundreds of connections
 * that cost the test JVM next to nothing (one socket, no buffers of its own), so heap
 * measured around them is the server's.
 */
final class RawWebSocket implements AutoCloseable {

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private final int status;

	private RawWebSocket(int port, String path, @Nullable String origin) throws IOException {
		this.socket = new Socket();
		this.socket.setSoTimeout(10_000);
		this.socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
		this.in = new DataInputStream(this.socket.getInputStream());
		this.out = this.socket.getOutputStream();
		String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16])
				+ "\r\nSec-WebSocket-Version: 13\r\n" + ((origin != null) ? "Origin: " + origin + "\r\n" : "") + "\r\n";
		this.out.write(request.getBytes(StandardCharsets.US_ASCII));
		this.out.flush();
		String statusLine = readLine();
		this.status = Integer.parseInt(statusLine.split(" ")[1]);
		if (this.status == 101) {
			while (!readLine().isEmpty()) {
				// response headers
			}
		}
	}

	/**
	 * Sends an upgrade request.
	 * @param port the server port
	 * @param path the request path
	 * @param origin the Origin header, or {@code null} for none
	 * @return the connection, upgraded or not (see {@link #status()})
	 * @throws IOException on socket failure
	 */
	static RawWebSocket connect(int port, String path, @Nullable String origin) throws IOException {
		return new RawWebSocket(port, path, origin);
	}

	/** The HTTP status of the upgrade: 101 when it was accepted. */
	int status() {
		return this.status;
	}

	/** Sends one masked text frame. */
	void send(String text) throws IOException {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
		frame.write(0x81);
		if (payload.length < 126) {
			frame.write(0x80 | payload.length);
		}
		else if (payload.length < 65536) {
			frame.write(0x80 | 126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length);
		}
		else {
			frame.write(0x80 | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				frame.write((int) ((long) payload.length >>> shift));
			}
		}
		// A zero mask: allowed, and the payload goes out as is.
		frame.write(new byte[4]);
		frame.write(payload);
		this.out.write(frame.toByteArray());
		this.out.flush();
	}

	/**
	 * Reads the next text frame (unfragmented, as the server sends), skipping pings.
	 * @return its text
	 * @throws IOException on socket failure, timeout, or a close frame
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
			byte[] payload = new byte[(int) length];
			this.in.readFully(payload);
			int opcode = first & 0x0F;
			if (opcode == 0x8) {
				throw new IOException("Closed by the server");
			}
			if (opcode == 0x1) {
				return new String(payload, StandardCharsets.UTF_8);
			}
		}
	}

	private String readLine() throws IOException {
		InputStream stream = this.in;
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = stream.read()) != -1 && c != '\n') {
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
