package dev.kite.server.websocket;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import dev.kite.protocol.LogSafe;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The outbound side of one kite session: every send only enqueues (bounded in characters)
 * and a serial writer on the kite executor writes the queue to the session, so no caller
 * (least of all a container thread answering a bad frame) ever waits for a peer that does
 * not read. The writer records when its current write started; the handler's watchdog
 * closes a session whose write has been stuck longer than the send-time limit.
 *
 * <p>
 * Memory: an idle session holds this object and nothing else; the queue exists only while
 * messages wait. A message counts against the buffer limit until its write has finished,
 * so a peer that stops reading holds at most {@code bufferLimit} characters (plus the one
 * message being written).
 *
 * <p>
 * Threads: {@link #send} from any thread; the queue and counters are guarded by this
 * object's monitor; at most one writer task runs at a time, on the executor; closing runs
 * on the executor too, so neither the caller nor the watchdog blocks on a stuck socket.
 */
final class SessionOutbox {

	private static final Logger logger = LoggerFactory.getLogger(SessionOutbox.class);

	/** Messages one writer task writes before it yields its thread to other sessions. */
	private static final int BATCH = 64;

	private final WebSocketSession session;

	private final Executor executor;

	private final long bufferLimit;

	private final TransportLog log;

	private @Nullable ArrayDeque<WebSocketMessage<?>> queue;

	private long queued;

	private boolean writing;

	private boolean closed;

	/**
	 * Set by {@link #closeWhenWritten}: the status to close with once the queue is empty.
	 */
	private @Nullable CloseStatus closeWhenWritten;

	/** When the current write started ({@code System.nanoTime()}), 0 when none runs. */
	private volatile long writeStarted;

	/** When the peer was last heard from (a message or a pong). */
	private volatile long lastReceived;

	/** When this session was last pinged, 0 when never. */
	private volatile long lastPinged;

	SessionOutbox(WebSocketSession session, Executor executor, long bufferLimit, TransportLog log, long now) {
		this.session = session;
		this.executor = executor;
		this.bufferLimit = bufferLimit;
		this.log = log;
		this.lastReceived = now;
	}

	WebSocketSession session() {
		return this.session;
	}

	/**
	 * Queues a message for the writer.
	 * @param message the message
	 * @throws IOException when the session is closed or the message would overflow the
	 * buffer (which closes the session)
	 */
	void send(WebSocketMessage<?> message) throws IOException {
		long size = size(message);
		boolean overflow;
		boolean start = false;
		synchronized (this) {
			if (this.closed || this.closeWhenWritten != null) {
				throw new IOException("Session " + this.session.getId() + " is closed");
			}
			overflow = this.queued + size > this.bufferLimit;
			if (!overflow) {
				if (this.queue == null) {
					this.queue = new ArrayDeque<>();
				}
				this.queue.add(message);
				this.queued += size;
				start = !this.writing;
				this.writing = true;
			}
		}
		if (overflow) {
			this.log.warn("Closing kite session {}: more than {} characters wait for a peer that does not read",
					LogSafe.of(this.session.getId()), this.bufferLimit);
			close(CloseStatus.SESSION_NOT_RELIABLE.withReason("Send buffer overflow"));
			throw new IOException("The send buffer of session " + this.session.getId() + " is full");
		}
		if (start) {
			try {
				this.executor.execute(this::write);
			}
			catch (RejectedExecutionException ex) {
				close(CloseStatus.SERVICE_OVERLOAD);
				throw new IOException("No writer for session " + this.session.getId(), ex);
			}
		}
	}

	/** Writes up to a batch of queued messages; resubmits itself when more wait. */
	private void write() {
		for (int i = 0; i < BATCH; i++) {
			WebSocketMessage<?> message;
			CloseStatus closeNow;
			synchronized (this) {
				message = (this.queue != null && !this.closed) ? this.queue.poll() : null;
				closeNow = this.closed ? null : this.closeWhenWritten;
				if (message == null) {
					// Dropped when empty: an idle session keeps no queue.
					this.queue = null;
					this.writing = false;
				}
			}
			if (message == null) {
				if (closeNow != null) {
					close(closeNow);
				}
				return;
			}
			this.writeStarted = System.nanoTime() | 1;
			try {
				this.session.sendMessage(message);
			}
			catch (IOException | RuntimeException ex) {
				if (this.session.isOpen()) {
					this.log.warn("Closing kite session {}: a message could not be sent ({})",
							LogSafe.of(this.session.getId()), LogSafe.of(ex.getMessage()));
				}
				close(CloseStatus.SESSION_NOT_RELIABLE);
				return;
			}
			finally {
				this.writeStarted = 0;
				synchronized (this) {
					if (!this.closed) {
						this.queued -= size(message);
					}
				}
			}
		}
		try {
			this.executor.execute(this::write);
		}
		catch (RejectedExecutionException ex) {
			close(CloseStatus.SERVICE_OVERLOAD);
		}
	}

	/**
	 * How long the current write has been running, in nanoseconds; 0 when none runs.
	 * @param now {@code System.nanoTime()}
	 */
	long writeNanos(long now) {
		long started = this.writeStarted;
		return (started != 0) ? now - started : 0;
	}

	/** How many characters wait (or are being written). */
	synchronized long queuedCharacters() {
		return this.queued;
	}

	void received(long now) {
		this.lastReceived = now;
	}

	long lastReceived() {
		return this.lastReceived;
	}

	long lastPinged() {
		return this.lastPinged;
	}

	void pinged(long now) {
		this.lastPinged = now;
	}

	/**
	 * Drops what waits and closes the session on the executor (never on the caller's
	 * thread: the close frame may wait for the socket, bounded by the container's
	 * blocking send timeout). Only the first call closes.
	 * @param status the close status
	 */
	void close(CloseStatus status) {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.queue = null;
			this.queued = 0;
		}
		Runnable close = () -> {
			try {
				this.session.close(status);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Closing kite session {} failed: {}", LogSafe.of(this.session.getId()),
						LogSafe.of(ex.getMessage()));
			}
		};
		try {
			this.executor.execute(close);
		}
		catch (RejectedExecutionException ex) {
			close.run();
		}
	}

	/**
	 * Refuses further sends and closes the session once what is already queued has been
	 * written (at once when nothing is), so replies queued before a shutdown reach the
	 * peer ahead of the close frame. A write that gets stuck meanwhile is ended by the
	 * handler's watchdog (the send-time limit).
	 * @param status the close status
	 */
	void closeWhenWritten(CloseStatus status) {
		synchronized (this) {
			if (this.closed || this.closeWhenWritten != null) {
				return;
			}
			this.closeWhenWritten = status;
			if (this.writing) {
				return; // the writer closes when it finds the queue empty
			}
		}
		close(status);
	}

	/** Marks the session closed (by the peer or the container): later sends fail. */
	synchronized void closed() {
		this.closed = true;
		this.queue = null;
		this.queued = 0;
	}

	/**
	 * The size a message counts with: a text's length in characters (its UTF-8 size for
	 * the ASCII JSON dnode messages mostly are, without encoding it to measure).
	 */
	private static long size(WebSocketMessage<?> message) {
		return (message instanceof TextMessage text) ? text.getPayload().length() : message.getPayloadLength();
	}

}
