package dev.kite.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * A generator connection on a non-blocking {@link SocketChannel} served by the
 * {@link IoLoop}: its own HTTP/1.1 upgrade and RFC 6455 framing
 * ({@link WebSocketHandshake}, {@link WebSocketFrames}), so that a call costs a buffer
 * copy and a mask on the way out and a scan of the reply's bytes on the way in (no
 * {@code String}, no UTF-8 coding, no {@code SecureRandom}). SockJS
 * ({@code /kite/<server>/<session>/websocket}, {@code o}/{@code h}/{@code a[…]}/{@code c}
 * frames; each request one message {@code ["…"]}) or a raw WebSocket (one bare dnode
 * message per text message).
 *
 * <p>
 * Threads: everything but {@link #open}'s wait and {@link #close}'s request runs on the
 * loop thread, which owns the channel and both buffers: a reply's next call is appended
 * to the output buffer and written once the whole read was handled.
 */
final class WebSocketLoadConnection extends LoadConnection implements IoLoop.Handler, WebSocketFrames.Handler {

	/**
	 * The read buffer's first size: many replies per read, yet small enough for thousands
	 * of idle connections ({@code standard}'s idle heap); it grows for a larger frame.
	 */
	private static final int READ_BUFFER = 8 * 1024;

	private final IoLoop loop;

	private final SocketChannel channel;

	/** Slot {@code k}'s message payload (UTF-8; for SockJS already {@code ["…"]}). */
	private final byte[][] payloads;

	private final boolean sockJs;

	private final byte[] handshake;

	private final String key;

	private final CompletableFuture<Void> opened = new CompletableFuture<>();

	private final WebSocketFrames.Reader reader = new WebSocketFrames.Reader();

	private ByteBuffer in = ByteBuffer.allocate(READ_BUFFER);

	private ByteBuffer out;

	private int mask = ThreadLocalRandom.current().nextInt() | 1;

	private boolean upgraded;

	/** The key's interest set, as last set. */
	private int interest;

	private @Nullable SelectionKey selectionKey;

	private volatile boolean closing;

	private WebSocketLoadConnection(IoLoop loop, SocketChannel channel, LoadRun run, byte[][] payloads, boolean sockJs,
			byte[] handshake, String key) {
		super(run, payloads.length);
		this.loop = loop;
		this.channel = channel;
		this.payloads = payloads;
		this.sockJs = sockJs;
		this.handshake = handshake;
		this.key = key;
		int largest = 0;
		for (byte[] payload : payloads) {
			largest = Math.max(largest, WebSocketFrames.clientFrameLength(payload.length));
		}
		// Room for every slot's frame at once: a full round of replies never grows it.
		this.out = ByteBuffer.allocate(Math.max(largest * payloads.length, handshake.length));
	}

	/**
	 * Dials and waits for the connection to open (for SockJS: its {@code o} frame).
	 * @param loop the I/O loop
	 * @param uri the WebSocket URI ({@code ws:} only)
	 * @param run the run
	 * @param payloads each slot's message (for SockJS already a JSON array of one string)
	 * @param sockJs whether SockJS frames the messages
	 * @param timeout the bound of the dial
	 * @return the open connection
	 * @throws Exception when it cannot be opened in time
	 */
	static WebSocketLoadConnection open(IoLoop loop, URI uri, LoadRun run, byte[][] payloads, boolean sockJs,
			Duration timeout) throws Exception {
		if (!"ws".equals(uri.getScheme())) {
			throw new IllegalArgumentException("The load generator speaks plain ws: only, not " + uri);
		}
		int port = (uri.getPort() != -1) ? uri.getPort() : 80;
		String key = WebSocketHandshake.newKey();
		byte[] handshake = WebSocketHandshake.request(uri.getHost() + ":" + port, uri.getRawPath(), key);
		SocketChannel channel = SocketChannel.open();
		WebSocketLoadConnection connection = new WebSocketLoadConnection(loop, channel, run, payloads, sockJs,
				handshake, key);
		try {
			channel.configureBlocking(false);
			channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
			InetSocketAddress address = new InetSocketAddress(uri.getHost(), port);
			loop.execute(() -> connection.connect(address));
			connection.opened.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return connection;
		}
		catch (TimeoutException ex) {
			connection.close();
			throw new IOException("WebSocket " + uri + " did not open within " + timeout.toMillis() + " ms", ex);
		}
		catch (ExecutionException ex) {
			connection.close();
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new IOException("WebSocket " + uri + ": " + cause.getMessage(), cause);
		}
		catch (Exception ex) {
			connection.close();
			throw ex;
		}
	}

	private void connect(InetSocketAddress address) {
		try {
			this.out.put(this.handshake);
			boolean connected = this.channel.connect(address);
			this.interest = connected ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT;
			this.selectionKey = this.channel.register(this.loop.selector(), this.interest, this);
		}
		catch (IOException ex) {
			lost("WebSocket dial failed: " + ex);
		}
	}

	@Override
	void start() {
		this.loop.execute(() -> {
			sendAll();
			flush();
		});
	}

	@Override
	void write(int slot) {
		byte[] payload = this.payloads[slot];
		ensureOut(WebSocketFrames.clientFrameLength(payload.length));
		this.mask = WebSocketFrames.xorshift(this.mask);
		WebSocketFrames.writeClientFrame(this.out, WebSocketFrames.OPCODE_TEXT, payload, 0, payload.length, this.mask);
	}

	private void ensureOut(int needed) {
		if (this.out.remaining() < needed) {
			ByteBuffer larger = ByteBuffer.allocate(Math.max(this.out.capacity() * 2, this.out.position() + needed));
			this.out.flip();
			larger.put(this.out);
			this.out = larger;
		}
	}

	/**
	 * Writes what the output buffer holds; what the socket does not take waits for
	 * OP_WRITE.
	 */
	private void flush() {
		if (this.out.position() == 0 || this.closing) {
			return;
		}
		try {
			this.out.flip();
			this.channel.write(this.out);
			this.out.compact();
			interest(SelectionKey.OP_READ | ((this.out.position() > 0) ? SelectionKey.OP_WRITE : 0));
		}
		catch (IOException ex) {
			lost("WebSocket write failed: " + ex);
		}
	}

	/**
	 * Sets the key's interest when it changes (each change is queued for the selector).
	 */
	private void interest(int ops) {
		SelectionKey key = this.selectionKey;
		if (ops != this.interest && key != null && key.isValid()) {
			key.interestOps(ops);
			this.interest = ops;
		}
	}

	@Override
	public void ready(SelectionKey key) {
		try {
			if (key.isConnectable()) {
				this.channel.finishConnect();
				interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
			}
			if (key.isValid() && key.isWritable()) {
				flush();
			}
			if (key.isValid() && key.isReadable()) {
				read();
			}
		}
		catch (IOException ex) {
			lost("WebSocket connection failed: " + ex);
		}
	}

	private void read() throws IOException {
		int count = this.channel.read(this.in);
		if (count < 0) {
			lost("connection closed by the server");
			return;
		}
		this.in.flip();
		if (!this.upgraded) {
			int end = WebSocketHandshake.headEnd(this.in.array(), 0, this.in.limit());
			if (end < 0) {
				if (this.in.limit() == this.in.capacity()) {
					throw new IOException("WebSocket upgrade answer over " + this.in.capacity() + " bytes");
				}
				this.in.position(this.in.limit()).limit(this.in.capacity());
				return;
			}
			WebSocketHandshake.check(new String(this.in.array(), 0, end, StandardCharsets.ISO_8859_1), this.key);
			this.upgraded = true;
			this.in.position(end);
			if (!this.sockJs) {
				this.opened.complete(null);
			}
		}
		int needed = this.reader.read(this.in, this);
		this.in.compact();
		if (needed > this.in.capacity()) {
			ByteBuffer larger = ByteBuffer.allocate(needed);
			this.in.flip();
			larger.put(this.in);
			this.in = larger;
		}
		flush();
	}

	@Override
	public void message(byte[] bytes, int offset, int length) {
		if (this.sockJs) {
			onSockJsFrame(bytes, offset, offset + length, this.opened);
		}
		else {
			KiteFrames.scanMessage(bytes, offset, offset + length, this.replies);
		}
	}

	@Override
	public void ping(byte[] bytes, int offset, int length) {
		ensureOut(WebSocketFrames.clientFrameLength(length));
		this.mask = WebSocketFrames.xorshift(this.mask);
		WebSocketFrames.writeClientFrame(this.out, WebSocketFrames.OPCODE_PONG, bytes, offset, length, this.mask);
	}

	@Override
	public void close(int code, String reason) {
		lost("connection closed by the server: " + code + " " + reason);
	}

	/**
	 * The connection is lost (unless we are closing it): its calls fail, the run ends.
	 */
	private void lost(String reason) {
		if (!this.closing) {
			this.opened.completeExceptionally(new IOException(reason));
			failed(reason);
		}
		closeChannel();
	}

	private void closeChannel() {
		this.closing = true;
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// Closed anyway.
		}
	}

	@Override
	void close() {
		this.closing = true;
		// Not waiting for the close handshake: a dead peer would not answer it.
		this.loop.execute(this::closeChannel);
	}

}
