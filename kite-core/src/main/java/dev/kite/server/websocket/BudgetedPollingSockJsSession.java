package dev.kite.server.websocket;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.sockjs.SockJsTransportFailureException;
import org.springframework.web.socket.sockjs.frame.SockJsFrame;
import org.springframework.web.socket.sockjs.transport.SockJsServiceConfig;
import org.springframework.web.socket.sockjs.transport.session.PollingSockJsSession;

/**
 * An XHR polling session whose replies waiting for the client's next poll are bounded in
 * bytes, not only in count (Spring's message cache): a client that stops polling while
 * its calls keep answering would otherwise hold up to the cache size times the reply size
 * in memory.
 *
 * <p>
 * It also tells a poll that arrives while the previous one is handing over (its frame
 * written, its request about to be released) from a second poller: only the first waits,
 * on a monitor the release notifies, see {@link #awaitHandover}.
 *
 * <p>
 * Threads: {@link #reserve} runs on whichever thread sends a reply (before the message
 * enters Spring's cache); {@link #flushCache()} runs under Spring's response lock on the
 * polling request's thread. The counter is atomic and every message is counted before it
 * can be drained, so it never reads less than what is queued.
 */
final class BudgetedPollingSockJsSession extends PollingSockJsSession {

	private static final Logger budgetLogger = LoggerFactory.getLogger(BudgetedPollingSockJsSession.class);

	private final long byteLimit;

	private final AtomicLong queued = new AtomicLong();

	/** Notified when a poll's request is released. */
	private final Object handover = new Object();

	/** Whether the pending poll has had its frame written and is being released. */
	private volatile boolean handingOver;

	BudgetedPollingSockJsSession(String id, SockJsServiceConfig config, WebSocketHandler handler,
			Map<String, Object> attributes, long byteLimit) {
		super(id, config, handler, attributes);
		this.byteLimit = byteLimit;
	}

	/**
	 * Counts a reply about to be queued; when the unpolled replies would exceed the
	 * budget, drops them, closes this session (the client's next poll reads a close
	 * frame; a poll pending at that moment reads this reason, a later one Spring's
	 * {@code 3000 "Go away!"}) and throws.
	 * @param message the reply
	 * @throws SockJsTransportFailureException when the budget is exceeded
	 */
	void reserve(String message) {
		long size = size(message);
		if (this.queued.addAndGet(size) <= this.byteLimit) {
			return;
		}
		budgetLogger.warn("Closing kite session {}: replies waiting for a poll exceed {} bytes", getId(),
				this.byteLimit);
		synchronized (this.responseLock) {
			getMessageCache().clear();
			this.queued.set(0);
		}
		try {
			close(CloseStatus.SESSION_NOT_RELIABLE
				.withReason("Replies waiting for a poll exceed " + this.byteLimit + " bytes"));
		}
		catch (IOException ex) {
			budgetLogger.debug("Closing kite session {} failed", getId(), ex);
		}
		throw new SockJsTransportFailureException(
				"Replies waiting for a poll exceed the session's budget of " + this.byteLimit + " bytes", getId(),
				null);
	}

	/** How many bytes of replies wait for the client's next poll (at least). */
	long queuedBytes() {
		return this.queued.get();
	}

	/**
	 * Waits, at most {@code nanos}, for the pending poll to be released, but only when it
	 * is handing over already; a poll that overlaps one still waiting for a frame (a
	 * second poller) returns at once, so Spring answers it 2010 without holding its
	 * thread.
	 * @param nanos the longest wait
	 */
	void awaitHandover(long nanos) {
		if (!this.handingOver) {
			return;
		}
		long deadline = System.nanoTime() + nanos;
		synchronized (this.handover) {
			while (this.handingOver && isActive()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return;
				}
				try {
					// Sliced: a request the container completes (the client went away)
					// turns inactive without a notification.
					this.handover.wait(Math.max(1, Math.min(left / 1_000_000, 10)));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	@Override
	protected void writeFrame(SockJsFrame frame) throws SockJsTransportFailureException {
		// A polling response ends with its frame: from here on a new poll is the client's
		// next one, not a second poller.
		this.handingOver = true;
		super.writeFrame(frame);
	}

	@Override
	protected void handleRequestInternal(ServerHttpRequest request, ServerHttpResponse response, boolean initialRequest)
			throws IOException {
		this.handingOver = false;
		super.handleRequestInternal(request, response, initialRequest);
	}

	@Override
	protected void resetRequest() {
		super.resetRequest();
		synchronized (this.handover) {
			this.handingOver = false;
			this.handover.notifyAll();
		}
	}

	@Override
	protected void flushCache() throws SockJsTransportFailureException {
		long drained = 0;
		for (String message : getMessageCache()) {
			drained += size(message);
		}
		super.flushCache();
		this.queued.addAndGet(-drained);
	}

	/**
	 * The size a reply counts with: its length in characters, which is its UTF-8 size for
	 * the ASCII JSON that dnode messages mostly are, without encoding it a second time to
	 * measure.
	 */
	private static long size(String message) {
		return message.length();
	}

}
