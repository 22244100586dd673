package dev.kite.server.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket peer on a bare socket: it can stop reading (a small receive buffer that the
 * server's replies fill), see pings and close frames, and answer pings or not.
 */
final class PeerSocket implements AutoCloseable {

	/** One frame as read. */
	record Frame(int opcode, byte[] payload) {

		String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		/** The close code of a close frame. */
		int closeCode() {
			return ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF);
		}

	}

	static final int TEXT = 0x1;

	static final int CLOSE = 0x8;

	static final int PING = 0x9;

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private final int status;

	private PeerSocket(int port, String path, int receiveBuffer) throws IOException {
		this.socket = new Socket();
		if (receiveBuffer > 0) {
			// Before connecting, so the advertised window stays small.
			this.socket.setReceiveBufferSize(receiveBuffer);
		}
		this.socket.setSoTimeout(10_000);
		this.socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
		this.in = new DataInputStream(this.socket.getInputStream());
		this.out = this.socket.getOutputStream();
		String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16])
				+ "\r\nSec-WebSocket-Version: 13\r\n\r\n";
		this.out.write(request.getBytes(StandardCharsets.US_ASCII));
		this.out.flush();
		this.status = Integer.parseInt(readLine().split(" ")[1]);
		String line;
		while (!(line = readLine()).isEmpty()) {
			// headers
		}
	}

	/** Upgrades {@code path}; see {@link #status()}. */
	static PeerSocket connect(int port, String path) throws IOException {
		return new PeerSocket(port, path, 0);
	}

	/**
	 * Upgrades {@code path} with a small receive buffer, for a peer that will not read.
	 */
	static PeerSocket connectNotReading(int port, String path) throws IOException {
		return new PeerSocket(port, path, 4096);
	}

	int status() {
		return this.status;
	}

	void send(String text) throws IOException {
		frame(TEXT, text.getBytes(StandardCharsets.UTF_8));
	}

	void pong(byte[] payload) throws IOException {
		frame(0xA, payload);
	}

	private void frame(int opcode, byte[] payload) throws IOException {
		ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
		frame.write(0x80 | opcode);
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
		frame.write(new byte[4]);
		frame.write(payload);
		synchronized (this.out) {
			this.out.write(frame.toByteArray());
			this.out.flush();
		}
	}

	/** Reads the next frame, whatever it is. */
	Frame nextFrame() throws IOException {
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
		return new Frame(first & 0x0F, payload);
	}

	/** Reads the next text frame, answering pings; fails on a close frame. */
	String next() throws IOException {
		while (true) {
			Frame frame = nextFrame();
			if (frame.opcode() == TEXT) {
				return frame.text();
			}
			if (frame.opcode() == PING) {
				pong(frame.payload());
			}
			if (frame.opcode() == CLOSE) {
				throw new IOException("Closed by the server: " + frame.closeCode());
			}
		}
	}

	private String readLine() throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = this.in.read()) != -1 && c != '\n') {
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
