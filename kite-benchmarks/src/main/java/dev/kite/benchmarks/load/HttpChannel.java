package dev.kite.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 keep-alive connection on the {@link IoLoop}: one request at a time, its
 * response parsed from bytes by {@link HttpResponseReader}. The socket is dialed for the
 * first request and again for a request after the server ended the previous connection
 * ({@code Connection: close}, as Tomcat does after {@code maxKeepAliveRequests}, or an
 * idle keep-alive socket it closed); a socket that closes or fails while a request is
 * outstanding fails that request. Every request has a deadline ({@link #overdue}), so
 * that a server that never answers cannot hang the run.
 *
 * <p>
 * Threads: everything runs on the loop thread, which owns the socket and both buffers;
 * the {@link Listener} is called there.
 */
final class HttpChannel implements IoLoop.Handler {

	private static final int READ_BUFFER = 8 * 1024;

	private final IoLoop loop;

	private final InetSocketAddress address;

	private final Listener listener;

	private @Nullable SocketChannel channel;

	private @Nullable SelectionKey selectionKey;

	private int interest;

	private ByteBuffer in = ByteBuffer.allocate(READ_BUFFER);

	private ByteBuffer out;

	private boolean busy;

	private long deadline;

	private boolean closed;

	/** The sockets dialed so far (1 + reconnections). */
	private int dials;

	/** The requests sent so far. */
	private int requests;

	/** Told about the outcome of each request. */
	interface Listener {

		/**
		 * The response to the outstanding request (its body valid only during the call).
		 * The channel is idle again: the listener may send its next request from here.
		 * @param channel the channel
		 * @param status the status code
		 * @param body the array holding the body
		 * @param from the body's start
		 * @param to the body's end
		 */
		void response(HttpChannel channel, int status, byte[] body, int from, int to);

		/**
		 * The outstanding request failed (the socket closed or failed, or the response
		 * was malformed); the channel is closed.
		 * @param channel the channel
		 * @param reason why
		 */
		void failed(HttpChannel channel, String reason);

	}

	/**
	 * @param loop the loop that serves the socket
	 * @param address the server
	 * @param listener told about the responses
	 * @param requestSize the size the output buffer starts with
	 */
	HttpChannel(IoLoop loop, InetSocketAddress address, Listener listener, int requestSize) {
		this.loop = loop;
		this.address = address;
		this.listener = listener;
		this.out = ByteBuffer.allocate(requestSize);
	}

	/** The requests sent so far. */
	int requests() {
		return this.requests;
	}

	/** Whether a request is outstanding. */
	boolean busy() {
		return this.busy;
	}

	/** The sockets this channel dialed so far. */
	int dials() {
		return this.dials;
	}

	/**
	 * Whether the outstanding request's deadline passed.
	 * @param now {@link System#nanoTime()}
	 * @return whether a request is outstanding past its deadline
	 */
	boolean overdue(long now) {
		return this.busy && now - this.deadline > 0;
	}

	/**
	 * Starts a request: the buffer to write its {@code length} bytes into, then
	 * {@link #send}.
	 * @param length the request's size
	 * @return the output buffer, with room for it
	 */
	ByteBuffer begin(int length) {
		if (this.out.remaining() < length) {
			ByteBuffer larger = ByteBuffer.allocate(Math.max(this.out.capacity() * 2, this.out.position() + length));
			this.out.flip();
			larger.put(this.out);
			this.out = larger;
		}
		return this.out;
	}

	/**
	 * Sends the request written after {@link #begin}, dialing first when no socket is
	 * open.
	 * @param deadline when the response must have arrived ({@link System#nanoTime()})
	 */
	void send(long deadline) {
		if (this.closed) {
			return;
		}
		this.busy = true;
		this.deadline = deadline;
		this.requests++;
		if (this.channel == null) {
			dial();
		}
		else {
			flush();
		}
	}

	private void dial() {
		try {
			SocketChannel socket = SocketChannel.open();
			this.channel = socket;
			this.dials++;
			socket.configureBlocking(false);
			socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
			boolean connected = socket.connect(this.address);
			this.interest = connected ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT;
			this.selectionKey = socket.register(this.loop.selector(), this.interest, this);
		}
		catch (IOException ex) {
			fail("HTTP dial failed: " + ex);
		}
	}

	private void flush() {
		SocketChannel socket = this.channel;
		if (socket == null || this.out.position() == 0) {
			return;
		}
		try {
			this.out.flip();
			socket.write(this.out);
			this.out.compact();
			interest(SelectionKey.OP_READ | ((this.out.position() > 0) ? SelectionKey.OP_WRITE : 0));
		}
		catch (IOException ex) {
			fail("HTTP write failed: " + ex);
		}
	}

	private void interest(int ops) {
		SelectionKey key = this.selectionKey;
		if (ops != this.interest && key != null && key.isValid()) {
			key.interestOps(ops);
			this.interest = ops;
		}
	}

	@Override
	public void ready(SelectionKey key) {
		SocketChannel socket = this.channel;
		if (socket == null || key != this.selectionKey) {
			return;
		}
		try {
			if (key.isConnectable()) {
				socket.finishConnect();
				interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
			}
			if (key.isValid() && key.isWritable()) {
				flush();
			}
			if (key.isValid() && key.isReadable()) {
				read(socket);
			}
		}
		catch (IOException ex) {
			fail("HTTP connection failed: " + ex);
		}
	}

	private void read(SocketChannel socket) throws IOException {
		int count = socket.read(this.in);
		if (count < 0) {
			if (this.busy) {
				fail("HTTP connection closed by the server with a request outstanding");
			}
			else {
				// An idle keep-alive socket the server closed: the next request dials.
				closeSocket();
			}
			return;
		}
		this.in.flip();
		int needed = HttpResponseReader.read(this.in, this::response);
		if (this.channel != socket) {
			// Closed (Connection: close) while handling the response: what is left of
			// the old socket's bytes is not the new one's.
			this.in.clear();
			return;
		}
		this.in.compact();
		if (needed > this.in.capacity()) {
			ByteBuffer larger = ByteBuffer.allocate(needed);
			this.in.flip();
			larger.put(this.in);
			this.in = larger;
		}
	}

	private boolean response(int status, byte[] body, int from, int to, boolean keepAlive) {
		SocketChannel socket = this.channel;
		if (!this.busy) {
			fail("HTTP response without a request: " + status);
			return false;
		}
		this.busy = false;
		if (!keepAlive) {
			closeSocket();
		}
		this.listener.response(this, status, body, from, to);
		return this.channel == socket && keepAlive;
	}

	private void fail(String reason) {
		boolean wasClosed = this.closed;
		close();
		if (!wasClosed) {
			this.listener.failed(this, reason);
		}
	}

	private void closeSocket() {
		SocketChannel socket = this.channel;
		this.channel = null;
		this.selectionKey = null;
		this.interest = 0;
		this.out.clear();
		if (socket != null) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// Closed anyway.
			}
		}
	}

	/** Closes the socket for good: no more requests. */
	void close() {
		this.closed = true;
		this.busy = false;
		closeSocket();
	}

}
