package dev.kite.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * A generator connection over SockJS XHR polling, on its own HTTP/1.1 keep-alive sockets
 * ({@link HttpChannel}) served by the {@link IoLoop}, as a browser's SockJS client works:
 * one poll open at a time ({@code POST …/xhr}, answered {@code o}, {@code h},
 * {@code a[…]} or {@code c[…]}, the next sent when one is answered) and the calls sent by
 * {@code POST …/xhr_send} (a JSON array of the messages, answered {@code 204}) on up to
 * {@code senders} more sockets: every call queued while the senders are busy leaves in
 * the next free one's request, so that a poll that brings many replies is answered by one
 * {@code xhr_send} carrying all of the next calls. Requests are pre-encoded: a send is a
 * copy of the slots' quoted frames behind a fixed head; a poll's body is scanned as a
 * WebSocket frame's payload is ({@link KiteFrames}).
 *
 * <p>
 * Threads: everything but {@link #open}'s wait, {@link #close}'s and
 * {@link #checkRequests}'s hand-over runs on the loop thread, which owns the channels and
 * the queue of calls to send.
 */
final class XhrLoadConnection extends LoadConnection {

	/**
	 * How long a poll may stay open beyond the call timeout: a server holds an idle poll
	 * for up to its heartbeat (SockJS's default: 25 s).
	 */
	static final Duration POLL_GRACE = Duration.ofSeconds(30);

	private static final byte[] CRLF_CRLF = { '\r', '\n', '\r', '\n' };

	private final IoLoop loop;

	private final InetSocketAddress address;

	private final byte[] pollRequest;

	/** {@code POST …/xhr_send …Content-Length: }, the length and the body follow. */
	private final byte[] sendHead;

	/** Slot {@code k}'s message as a JSON string literal, UTF-8. */
	private final byte[][] frames;

	/** The slots whose calls wait for a sender, in order. */
	private final int[] queue;

	private int queued;

	private final int maxSenders;

	private final long timeoutNanos;

	private final CompletableFuture<Void> opened = new CompletableFuture<>();

	private final HttpChannel poller;

	private final List<HttpChannel> senders = new ArrayList<>();

	private final HttpChannel.Listener pollListener = new HttpChannel.Listener() {

		@Override
		public void response(HttpChannel channel, int status, byte[] body, int from, int to) {
			polled(status, body, from, to);
		}

		@Override
		public void failed(HttpChannel channel, String reason) {
			lost("xhr poll failed: " + reason);
		}

	};

	private final HttpChannel.Listener sendListener = new HttpChannel.Listener() {

		@Override
		public void response(HttpChannel channel, int status, byte[] body, int from, int to) {
			if (status != 204 && status != 200) {
				lost("xhr_send answered HTTP " + status + ": " + abbreviate(body, from, to));
				return;
			}
			sendQueued();
		}

		@Override
		public void failed(HttpChannel channel, String reason) {
			lost("xhr_send failed: " + reason);
		}

	};

	private volatile boolean closing;

	private XhrLoadConnection(IoLoop loop, URI session, LoadRun run, byte[][] frames, int maxSenders,
			Duration timeout) {
		super(run, frames.length);
		if (!"http".equals(session.getScheme())) {
			throw new IllegalArgumentException("The load generator speaks plain http: only, not " + session);
		}
		this.loop = loop;
		int port = (session.getPort() != -1) ? session.getPort() : 80;
		this.address = new InetSocketAddress(session.getHost(), port);
		String host = session.getHost() + ":" + port;
		this.pollRequest = ("POST " + session.getRawPath() + "/xhr HTTP/1.1\r\nHost: " + host
				+ "\r\nContent-Length: 0\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		this.sendHead = ("POST " + session.getRawPath() + "/xhr_send HTTP/1.1\r\nHost: " + host
				+ "\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: ")
			.getBytes(StandardCharsets.US_ASCII);
		this.frames = frames;
		this.queue = new int[frames.length];
		this.maxSenders = maxSenders;
		this.timeoutNanos = timeout.toNanos();
		this.poller = new HttpChannel(loop, this.address, this.pollListener, this.pollRequest.length);
	}

	/**
	 * Opens a session (its first poll) and waits for its {@code o} frame.
	 * @param loop the I/O loop
	 * @param session the session's base, {@code http://host:port/kite/<server>/<session>}
	 * @param run the run
	 * @param frames each slot's message as a JSON string literal, UTF-8
	 * @param maxSenders the most {@code xhr_send} requests outstanding at once (each on
	 * its own socket)
	 * @param timeout the bound of the open and of each {@code xhr_send}
	 * @return the open connection, polling
	 * @throws Exception when it cannot be opened in time
	 */
	static XhrLoadConnection open(IoLoop loop, URI session, LoadRun run, byte[][] frames, int maxSenders,
			Duration timeout) throws Exception {
		XhrLoadConnection connection = new XhrLoadConnection(loop, session, run, frames, maxSenders, timeout);
		loop.execute(connection::poll);
		try {
			connection.opened.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return connection;
		}
		catch (TimeoutException ex) {
			connection.close();
			throw new IOException("XHR session " + session + " did not open within " + timeout.toMillis() + " ms", ex);
		}
		catch (ExecutionException ex) {
			connection.close();
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new IOException("XHR session " + session + ": " + cause.getMessage(), cause);
		}
	}

	private void poll() {
		if (this.closing) {
			return;
		}
		this.poller.begin(this.pollRequest.length).put(this.pollRequest);
		this.poller.send(System.nanoTime() + this.timeoutNanos + POLL_GRACE.toNanos());
	}

	private void polled(int status, byte[] body, int from, int to) {
		if (this.closing) {
			return;
		}
		if (status != 200) {
			lost("xhr poll answered HTTP " + status + ": " + abbreviate(body, from, to));
			return;
		}
		int end = to;
		while (end > from && body[end - 1] == '\n') {
			end--;
		}
		if (end > from && body[from] == 'c') {
			onSockJsFrame(body, from, end, this.opened);
			return;
		}
		// Poll again first: the server can queue the replies to the calls sent below.
		poll();
		onSockJsFrame(body, from, end, this.opened);
		sendQueued();
	}

	@Override
	void start() {
		this.loop.execute(() -> {
			sendAll();
			sendQueued();
		});
	}

	@Override
	void write(int slot) {
		this.queue[this.queued++] = slot;
	}

	/** Sends every queued call in one {@code xhr_send} on a free sender, if any. */
	private void sendQueued() {
		if (this.queued == 0 || this.closing) {
			return;
		}
		HttpChannel sender = freeSender();
		if (sender == null) {
			return;
		}
		int bodyLength = 1 + this.queued;
		for (int i = 0; i < this.queued; i++) {
			bodyLength += this.frames[this.queue[i]].length;
		}
		int digits = digits(bodyLength);
		ByteBuffer out = sender.begin(this.sendHead.length + digits + CRLF_CRLF.length + bodyLength);
		out.put(this.sendHead);
		for (int divisor = pow10(digits - 1); divisor > 0; divisor /= 10) {
			out.put((byte) ('0' + (bodyLength / divisor) % 10));
		}
		out.put(CRLF_CRLF).put((byte) '[');
		for (int i = 0; i < this.queued; i++) {
			if (i > 0) {
				out.put((byte) ',');
			}
			out.put(this.frames[this.queue[i]]);
		}
		out.put((byte) ']');
		this.queued = 0;
		sender.send(System.nanoTime() + this.timeoutNanos);
	}

	private @Nullable HttpChannel freeSender() {
		for (HttpChannel sender : this.senders) {
			if (!sender.busy()) {
				return sender;
			}
		}
		if (this.senders.size() < this.maxSenders) {
			HttpChannel sender = new HttpChannel(this.loop, this.address, this.sendListener, 4 * 1024);
			this.senders.add(sender);
			return sender;
		}
		return null;
	}

	private static int digits(int value) {
		int digits = 1;
		for (int rest = value / 10; rest > 0; rest /= 10) {
			digits++;
		}
		return digits;
	}

	private static int pow10(int exponent) {
		int value = 1;
		for (int i = 0; i < exponent; i++) {
			value *= 10;
		}
		return value;
	}

	@Override
	void checkRequests() {
		this.loop.execute(() -> checkDeadlines(System.nanoTime()));
	}

	/**
	 * Fails the connection when a request is outstanding past its deadline (on the loop
	 * thread).
	 * @param now {@link System#nanoTime()}
	 */
	void checkDeadlines(long now) {
		if (this.closing) {
			return;
		}
		if (this.poller.overdue(now)) {
			lost("xhr poll not answered within " + (this.timeoutNanos / 1_000_000 + POLL_GRACE.toMillis()) + " ms");
			return;
		}
		for (HttpChannel sender : this.senders) {
			if (sender.overdue(now)) {
				lost("xhr_send not answered within " + this.timeoutNanos / 1_000_000 + " ms");
				return;
			}
		}
	}

	/** The requests sent so far, polls and sends. */
	int requests() {
		int requests = this.poller.requests();
		for (HttpChannel sender : this.senders) {
			requests += sender.requests();
		}
		return requests;
	}

	/**
	 * The sockets dialed so far, poller's and senders' (keep-alive reuse keeps it low).
	 */
	int dials() {
		int dials = this.poller.dials();
		for (HttpChannel sender : this.senders) {
			dials += sender.dials();
		}
		return dials;
	}

	/**
	 * The connection is lost (unless we are closing it): its calls fail, the run ends.
	 */
	private void lost(String reason) {
		if (!this.closing) {
			this.opened.completeExceptionally(new IOException(reason));
			failed(reason);
		}
		closeChannels();
	}

	private void closeChannels() {
		this.closing = true;
		this.poller.close();
		this.senders.forEach(HttpChannel::close);
	}

	@Override
	void close() {
		this.closing = true;
		this.loop.execute(this::closeChannels);
	}

}
