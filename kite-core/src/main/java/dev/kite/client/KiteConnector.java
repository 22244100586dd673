package dev.kite.client;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.kite.protocol.GoDurations;
import dev.kite.protocol.LogSafe;
import dev.kite.rpc.Failures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The dial and reconnect state machine of one {@link KiteConnection}. States: idle (no
 * link, no dial), dialing (one {@link Attempt} in flight, bounded by the connect
 * timeout), waiting to redial (a retry scheduled with backoff), connected (one
 * {@link Link}), and closed (final). Without reconnection a failed dial returns to idle
 * and fails the {@link #connect()} future; with it, a failed dial schedules the next one,
 * and a lost link is redialed at once (Go's {@code DialForever}).
 *
 * <p>
 * With a {@link KiteEndpointResolver}, every attempt first asks it where to go (given the
 * previous endpoint and why), then dials that URL; the connect timeout bounds both steps,
 * and a failed resolution is a failed dial. The resolved endpoint's auth is handed to the
 * connection before the dial, so the first call on the new link carries it.
 *
 * <p>
 * Every failed dial logs one WARN line (URL, cause, next attempt) — never a stack trace:
 * a kite that is down is an expected state, and a reconnecting client meets it once per
 * backoff step.
 *
 * <p>
 * Thread safety: the state is guarded by one lock, held only to change fields, never
 * while dialing, closing sessions, or running callbacks. Transitions come from any
 * calling thread ({@link #connect()}, {@link #close()}), the transport's threads (dial
 * outcome, lost session), and the scheduler (connect timeout, retry). A stale event —
 * from an attempt that timed out, was superseded or closed — is recognised by identity
 * and ignored.
 */
final class KiteConnector {

	private static final Logger logger = LoggerFactory.getLogger(KiteConnection.class);

	private final KiteClientOptions options;

	private final KiteClientFactory.Resources resources;

	private final KiteTransports transports;

	private final Function<WebSocketSession, Link> linkFactory;

	private final Consumer<Link> connected;

	private final BiConsumer<Link, CloseStatus> lost;

	private final Consumer<KiteEndpoint> resolved;

	private final Object lock = new Object();

	private volatile @Nullable Link link;

	private volatile boolean closed;

	// Guarded by lock:
	private @Nullable CompletableFuture<Link> connecting;

	private @Nullable Attempt attempt;

	private @Nullable ScheduledFuture<?> retry;

	private int failedAttempts;

	private KiteEndpointResolver.Reason nextReason = KiteEndpointResolver.Reason.FIRST_DIAL;

	// Written under lock, read anywhere:
	private volatile @Nullable KiteEndpoint lastEndpoint;

	/**
	 * @param options the connection's options (URL, transport, timeouts, reconnect
	 * policy)
	 * @param resources the factory's shared executor and scheduler
	 * @param transports dials
	 * @param linkFactory makes the link of a session that just opened
	 * @param connected told (on the dialing thread) of every new link
	 * @param lost told (on the transport's thread) of every lost link, after it was shut
	 * down
	 * @param resolved told (on the thread completing the resolution) of every endpoint
	 * about to be dialed, before the dial starts
	 */
	KiteConnector(KiteClientOptions options, KiteClientFactory.Resources resources, KiteTransports transports,
			Function<WebSocketSession, Link> linkFactory, Consumer<Link> connected, BiConsumer<Link, CloseStatus> lost,
			Consumer<KiteEndpoint> resolved) {
		this.options = options;
		this.resources = resources;
		this.transports = transports;
		this.linkFactory = linkFactory;
		this.connected = connected;
		this.lost = lost;
		this.resolved = resolved;
	}

	/**
	 * The endpoint resolved for the current or last dial, or {@code null} for a fixed URL
	 * or before the first resolution.
	 */
	@Nullable KiteEndpoint endpoint() {
		return this.lastEndpoint;
	}

	/**
	 * The URL in use or last dialed; the options' URL (a label) before any resolution.
	 */
	URI currentUrl() {
		KiteEndpoint endpoint = this.lastEndpoint;
		return (endpoint != null) ? endpoint.url() : this.options.url();
	}

	/** The open link, or {@code null}. */
	@Nullable Link link() {
		return this.link;
	}

	boolean isClosed() {
		return this.closed;
	}

	/**
	 * The future of the dial in progress or scheduled, or {@code null} when idle,
	 * connected or closed.
	 */
	@Nullable CompletableFuture<Link> dialing() {
		synchronized (this.lock) {
			return this.connecting;
		}
	}

	/**
	 * Dials unless connected or dialing already.
	 * @return completes with the link once connected; fails with a
	 * {@link KiteConnectException} when a dial without reconnection fails, or with
	 * {@code sendError} when closed first
	 */
	CompletableFuture<Link> connect() {
		Attempt started;
		CompletableFuture<Link> result;
		synchronized (this.lock) {
			if (this.closed) {
				return CompletableFuture.failedFuture(KiteResponses.sendError("can't send, client is closed"));
			}
			Link current = this.link;
			if (current != null) {
				return CompletableFuture.completedFuture(current);
			}
			if (this.connecting == null) {
				this.connecting = new CompletableFuture<>();
			}
			result = this.connecting;
			started = (this.attempt == null && this.retry == null) ? newAttempt() : null;
		}
		if (started != null) {
			launch(started);
		}
		return result;
	}

	/**
	 * Stops dialing and closes the link. Idempotent.
	 * @return the link that was open, already shut down, or {@code null}
	 */
	@Nullable Link close() {
		Link current;
		CompletableFuture<Link> waiting;
		synchronized (this.lock) {
			if (this.closed) {
				return null;
			}
			this.closed = true;
			if (this.retry != null) {
				this.retry.cancel(false);
				this.retry = null;
			}
			current = this.link;
			this.link = null;
			Attempt pending = this.attempt;
			if (pending != null) {
				pending.abandoned = true; // a session it still opens is closed at once
			}
			this.attempt = null;
			waiting = this.connecting;
			this.connecting = null;
		}
		if (waiting != null) {
			PendingCalls.complete(this.resources.executor(), waiting, null,
					KiteResponses.sendError("can't send, client is closed"));
		}
		if (current != null) {
			current.close(CloseStatus.NORMAL);
		}
		return current;
	}

	/** Must hold the lock. */
	private Attempt newAttempt() {
		Attempt next = new Attempt(this.nextReason, this.lastEndpoint);
		this.attempt = next;
		return next;
	}

	private void launch(Attempt started) {
		Duration connectTimeout = this.options.connectTimeout();
		ScheduledFuture<?> timer;
		try {
			timer = this.resources.scheduler()
				.schedule(
						() -> dialFailed(started,
								new TimeoutException("no connection within " + GoDurations.format(connectTimeout))),
						this.resources.scheduler().getClock().instant().plus(connectTimeout));
		}
		catch (RejectedExecutionException ex) {
			stopDialing(started, ex); // the application is stopping: no dial without its
										// time limit
			return;
		}
		KiteEndpointResolver resolver = this.options.endpointResolver();
		CompletableFuture<WebSocketSession> dial;
		if (resolver == null) {
			dial = dial(this.options.url(), started, connectTimeout);
		}
		else {
			CompletableFuture<KiteEndpoint> resolution;
			try {
				resolution = resolver.resolve(started.previous, started.reason);
			}
			catch (RuntimeException ex) {
				resolution = CompletableFuture.failedFuture(ex);
			}
			dial = resolution
				.thenCompose((endpoint) -> adopt(started, endpoint) ? dial(endpoint.url(), started, connectTimeout)
						: CompletableFuture.failedFuture(new CancellationException("superseded")));
		}
		dial.whenComplete((session, failure) -> {
			timer.cancel(false);
			if (failure != null) {
				dialFailed(started, failure);
			}
		});
	}

	private CompletableFuture<WebSocketSession> dial(URI url, Attempt started, Duration connectTimeout) {
		try {
			return this.transports.dial(url, this.options.transport(), started, this.resources.executor(),
					connectTimeout);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Makes a resolved endpoint the one of a current attempt and hands it to the
	 * connection (which takes its auth) before the dial.
	 * @return whether the attempt is still current and should dial
	 */
	private boolean adopt(Attempt started, KiteEndpoint endpoint) {
		synchronized (this.lock) {
			if (this.attempt != started) {
				return false; // timed out, closed or superseded while resolving
			}
			started.endpoint = endpoint;
			this.lastEndpoint = endpoint;
		}
		logger.debug("Resolved {} to {}", this.options.url(), endpoint.url());
		this.resolved.accept(endpoint);
		return true;
	}

	/**
	 * Gives up dialing because the scheduler or executor refuses work (the application is
	 * stopping).
	 */
	private void stopDialing(@Nullable Attempt stopped, RuntimeException cause) {
		CompletableFuture<Link> waiting;
		synchronized (this.lock) {
			if (stopped != null && this.attempt != stopped) {
				return;
			}
			this.attempt = null;
			waiting = this.connecting;
			this.connecting = null;
		}
		logger.debug("Not dialing {}: {}", currentUrl(), LogSafe.of(cause));
		if (waiting != null) {
			PendingCalls.complete(this.resources.executor(), waiting, null,
					new KiteConnectException(currentUrl(), cause));
		}
	}

	private void dialFailed(Attempt failed, Throwable failure) {
		Throwable cause = Failures.unwrap(failure);
		KiteEndpoint endpoint = failed.endpoint;
		URI target = (endpoint != null) ? endpoint.url() : this.options.url();
		CompletableFuture<Link> waiting;
		synchronized (this.lock) {
			if (this.attempt != failed) {
				return; // already connected, superseded, or closed
			}
			this.attempt = null;
			this.nextReason = KiteEndpointResolver.Reason.DIAL_FAILED;
			failed.abandoned = true;
			if (this.closed) {
				return;
			}
			if (this.options.reconnect().enabled()) {
				Duration delay = this.options.reconnect().delay(this.failedAttempts++);
				logger.warn("Dialing kite {} failed ({}); next attempt in {}", target, LogSafe.of(describe(cause)),
						GoDurations.format(delay));
				try {
					scheduleRetry(delay);
					return;
				}
				catch (RejectedExecutionException ex) {
					// the application is stopping: fail the waiting calls as without
					// reconnection
				}
			}
			waiting = this.connecting;
			this.connecting = null;
		}
		logger.warn("Dialing kite {} failed ({})", target, LogSafe.of(describe(cause)));
		if (waiting != null) {
			PendingCalls.complete(this.resources.executor(), waiting, null, new KiteConnectException(target, cause));
		}
	}

	/** Must hold the lock. */
	private void scheduleRetry(Duration delay) {
		this.retry = this.resources.scheduler().schedule(() -> {
			Attempt started;
			synchronized (this.lock) {
				this.retry = null;
				if (this.closed || this.link != null || this.attempt != null) {
					return;
				}
				started = newAttempt();
			}
			launch(started);
		}, this.resources.scheduler().getClock().instant().plus(delay));
	}

	private void established(Attempt opened, WebSocketSession session) {
		Link opening = this.linkFactory.apply(session); // holds nothing yet if it is not
														// kept
		CompletableFuture<Link> waiting = null;
		boolean kept = false;
		synchronized (this.lock) {
			if (!this.closed && this.attempt == opened) {
				kept = true;
				this.attempt = null;
				this.failedAttempts = 0;
				this.nextReason = KiteEndpointResolver.Reason.CONNECTION_LOST;
				this.link = opening;
				opened.link = opening;
				waiting = this.connecting;
				this.connecting = null;
			}
		}
		if (!kept) {
			opening.close(CloseStatus.GOING_AWAY); // closed, timed out or superseded
													// meanwhile
			return;
		}
		logger.debug("Connected to {} (session {})", currentUrl(), LogSafe.of(session.getId()));
		if (waiting != null) {
			PendingCalls.complete(this.resources.executor(), waiting, opening, null);
		}
		this.connected.accept(opening);
	}

	private void lost(Link lostLink, CloseStatus status) {
		boolean wasCurrent;
		Attempt redial = null;
		synchronized (this.lock) {
			wasCurrent = (this.link == lostLink);
			if (wasCurrent) {
				this.link = null;
				if (!this.closed && this.options.reconnect().enabled() && this.attempt == null && this.retry == null) {
					if (this.connecting == null) {
						this.connecting = new CompletableFuture<>();
					}
					redial = newAttempt(); // Go dials again at once, backing off only on
											// failures
				}
			}
		}
		lostLink.shutdown();
		if (wasCurrent) {
			logger.debug("Disconnected from {}: {}", currentUrl(), LogSafe.of(status));
			this.lost.accept(lostLink, status);
		}
		if (redial != null) {
			launch(redial);
		}
	}

	/** One line for a failed dial: the innermost message is usually the useful one. */
	private static String describe(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String text = failure.toString();
		return (root == failure) ? text : text + "; caused by " + root;
	}

	/** One dial: receives the transport's events for the session it opens. */
	private final class Attempt implements WebSocketHandler {

		final KiteEndpointResolver.Reason reason;

		final @Nullable KiteEndpoint previous;

		volatile @Nullable KiteEndpoint endpoint;

		volatile @Nullable Link link;

		Attempt(KiteEndpointResolver.Reason reason, @Nullable KiteEndpoint previous) {
			this.reason = reason;
			this.previous = previous;
		}

		volatile boolean abandoned;

		@Override
		public void afterConnectionEstablished(WebSocketSession session) {
			if (this.abandoned) {
				Link.closeQuietly(session, CloseStatus.GOING_AWAY);
				return;
			}
			established(this, session);
		}

		@Override
		public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
			Link current = this.link;
			if (current != null && message instanceof TextMessage text) {
				KiteConnector.this.resources.dispatcher().dispatch(current.kiteSession(), text.getPayload());
			}
		}

		@Override
		public void handleTransportError(WebSocketSession session, Throwable exception) {
			logger.debug("Transport error on the connection to {}: {}", currentUrl(), exception.toString());
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
			Link current = this.link;
			if (current != null) {
				lost(current, closeStatus);
			}
		}

		@Override
		public boolean supportsPartialMessages() {
			return false;
		}

	}

}
