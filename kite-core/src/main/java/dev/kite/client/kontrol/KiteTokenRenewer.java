package dev.kite.client.kontrol;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiFunction;

import dev.kite.auth.jwt.GoJwt;
import dev.kite.client.KiteConnection;
import dev.kite.client.KiteEndpoint;
import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KontrolQuery;
import dev.kite.protocol.LogSafe;
import dev.kite.rpc.Failures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;

/**
 * Keeps the Kontrol token of a connection to a kite found through Kontrol fresh, as Go's
 * {@code TokenRenewer} (PROTOCOL §7): while the connection is open it reads the token's
 * {@code exp} (without verifying the signature) and renews {@code renewBefore} (30 s)
 * ahead of it with {@code getToken} for an ID-only query of the target kite (audience
 * {@code /}, {@code force:false}, as Go sends a {@code Kite} with only its id). A renewed
 * token is {@link KiteConnection#setAuth(Auth) swapped in} and the next renewal is
 * scheduled from it; {@code no kites found} / {@code no kites availabile} stop renewing
 * until the next connect; any other error is retried after {@code retryInterval} (10 s).
 * A call rejected with {@code token is expired} renews at once. Disconnecting stops the
 * schedule; connecting restarts it, for the kite the connection's
 * {@link KiteConnection#endpoint() endpoint} names now (a resolved connection may have
 * moved to another instance).
 *
 * <p>
 * Thread safety: the state is guarded by one lock, never held while calling Kontrol or
 * the connection. Triggers come from the connection's listeners (shared executor), the
 * scheduler (timed renewals) and {@link #renew()} callers; concurrent triggers share one
 * {@code getToken} (single flight).
 */
public final class KiteTokenRenewer implements AutoCloseable {

	/** Go's {@code renewBefore}: renew 30 s before the token expires. */
	public static final Duration DEFAULT_RENEW_BEFORE = Duration.ofSeconds(30);

	/** Go's {@code retryInterval}: retry a failed renewal after 10 s. */
	public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(KiteTokenRenewer.class);

	private final KiteConnection connection;

	private final BiFunction<KontrolQuery, Boolean, CompletableFuture<String>> tokens;

	private final TaskScheduler scheduler;

	private final Duration renewBefore;

	private final Duration retryInterval;

	private final Object lock = new Object();

	// Guarded by lock:
	private boolean running;

	private boolean closed;

	private @Nullable ScheduledFuture<?> timer;

	private @Nullable Instant nextRenewal;

	private @Nullable CompletableFuture<String> inFlight;

	KiteTokenRenewer(KiteConnection connection, BiFunction<KontrolQuery, Boolean, CompletableFuture<String>> tokens,
			TaskScheduler scheduler, Duration renewBefore, Duration retryInterval) {
		this.connection = Objects.requireNonNull(connection, "connection");
		this.tokens = Objects.requireNonNull(tokens, "tokens");
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
		this.renewBefore = Objects.requireNonNull(renewBefore, "renewBefore");
		this.retryInterval = requirePositive(retryInterval, "retryInterval");
	}

	/**
	 * Attaches a renewer with Go's figures (30 s before expiry, retry after 10 s).
	 * @param connection a connection with an endpoint resolver whose endpoints name the
	 * target kite (as {@link KiteDiscovery#connect} creates)
	 * @param kontrol asks for the tokens
	 * @param scheduler times the renewals (the connection factory's scheduler)
	 * @return the renewer, already listening; close it to detach
	 */
	public static KiteTokenRenewer attach(KiteConnection connection, KontrolClient kontrol, TaskScheduler scheduler) {
		return attach(connection, kontrol, scheduler, DEFAULT_RENEW_BEFORE, DEFAULT_RETRY_INTERVAL);
	}

	/**
	 * Attaches a renewer.
	 * @param connection a connection with an endpoint resolver whose endpoints name the
	 * target kite
	 * @param kontrol asks for the tokens
	 * @param scheduler times the renewals
	 * @param renewBefore how long before {@code exp} to renew
	 * @param retryInterval how long to wait after a failed renewal
	 * @return the renewer, already listening; close it to detach
	 */
	public static KiteTokenRenewer attach(KiteConnection connection, KontrolClient kontrol, TaskScheduler scheduler,
			Duration renewBefore, Duration retryInterval) {
		Objects.requireNonNull(kontrol, "kontrol");
		KiteTokenRenewer renewer = new KiteTokenRenewer(connection, kontrol::getToken, scheduler, renewBefore,
				retryInterval);
		renewer.listen();
		return renewer;
	}

	void listen() {
		this.connection.onConnect(this::start);
		this.connection.onDisconnect(this::stop);
		this.connection.onTokenExpired(this::tokenExpired);
		if (this.connection.isConnected()) {
			start();
		}
	}

	private static Duration requirePositive(Duration value, String name) {
		Objects.requireNonNull(value, name);
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive");
		}
		return value;
	}

	/**
	 * When the next timed renewal is due, if one is scheduled (for tests and
	 * diagnostics).
	 */
	public @Nullable Instant nextRenewal() {
		synchronized (this.lock) {
			return this.nextRenewal;
		}
	}

	/**
	 * Renews now, or joins the renewal in flight.
	 * @return completes with the new token once it is in use; fails with Kontrol's error
	 */
	public CompletableFuture<String> renew() {
		Kite target = target();
		CompletableFuture<String> flight;
		synchronized (this.lock) {
			if (this.closed) {
				return CompletableFuture.failedFuture(new IllegalStateException("The token renewer is closed"));
			}
			if (this.inFlight != null) {
				return this.inFlight;
			}
			if (target == null) {
				return CompletableFuture.failedFuture(new IllegalStateException(
						"No target kite known for " + this.connection.currentUrl() + " (not resolved yet)"));
			}
			flight = new CompletableFuture<>();
			this.inFlight = flight;
		}
		CompletableFuture<String> answer;
		try {
			answer = this.tokens.apply(idOnly(target), false);
		}
		catch (RuntimeException ex) {
			answer = CompletableFuture.failedFuture(ex);
		}
		answer.whenComplete((token, failure) -> finished(flight, target, token, failure));
		return flight;
	}

	/** Go's renewal query: only the id (PROTOCOL §6.5, §7). */
	static KontrolQuery idOnly(Kite target) {
		return new KontrolQuery("", "", "", "", "", "", target.id());
	}

	private @Nullable Kite target() {
		KiteEndpoint endpoint = this.connection.endpoint();
		return (endpoint != null) ? endpoint.kite() : null;
	}

	private void finished(CompletableFuture<String> flight, Kite target, @Nullable String token,
			@Nullable Throwable failure) {
		Throwable cause = (failure != null) ? Failures.unwrap(failure) : null;
		boolean stillTarget = target.equals(target());
		if (cause == null && token != null && stillTarget) {
			this.connection.setAuth(new Auth(Auth.TOKEN, token));
			logger.debug("Renewed the token for kite {}", LogSafe.of(target.toString()));
		}
		synchronized (this.lock) {
			this.inFlight = null;
			if (this.running && !this.closed) {
				if (cause == null) {
					scheduleFromToken(); // the new token, or the new target's
				}
				else if (isGone(cause)) {
					cancelTimer();
				}
				else {
					schedule(this.scheduler.getClock().instant().plus(this.retryInterval));
				}
			}
		}
		if (cause != null) {
			if (isGone(cause)) {
				logger.info("Kontrol no longer knows kite {}; token renewal stops until the next connect ({})",
						LogSafe.of(target.toString()), LogSafe.of(cause.getMessage()));
			}
			else {
				logger.warn("Cannot renew the token for kite {} ({}); retrying in {}", LogSafe.of(target.toString()),
						LogSafe.of(String.valueOf(cause)), this.retryInterval);
			}
			flight.completeExceptionally(cause);
		}
		else if (token == null) {
			flight.completeExceptionally(new IllegalStateException("Kontrol answered getToken with null"));
		}
		else {
			flight.complete(token);
		}
	}

	private static boolean isGone(Throwable cause) {
		String message = String.valueOf(cause.getMessage());
		return message.contains("no kites found") || message.contains("no kites availabile");
	}

	private void start() {
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.running = true;
			scheduleFromToken();
		}
	}

	private void stop() {
		synchronized (this.lock) {
			this.running = false;
			cancelTimer();
		}
	}

	private void tokenExpired() {
		if (!isClosed()) {
			renew();
		}
	}

	private boolean isClosed() {
		synchronized (this.lock) {
			return this.closed;
		}
	}

	/** Must hold the lock. Schedules the renewal of the token in use, if it is one. */
	private void scheduleFromToken() {
		cancelTimer();
		Auth auth = this.connection.auth();
		if (auth == null || !Auth.TOKEN.equals(auth.type())) {
			return;
		}
		long exp;
		try {
			exp = GoJwt.parse(auth.key()).exp;
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot read the expiry of the token for {}: {}", this.connection.currentUrl(),
					LogSafe.of(String.valueOf(ex.getMessage())));
			return;
		}
		if (exp == 0) {
			return; // never expires
		}
		Instant due = Instant.ofEpochSecond(exp).minus(this.renewBefore);
		Instant now = this.scheduler.getClock().instant();
		schedule(due.isBefore(now) ? now : due);
	}

	/** Must hold the lock. */
	private void schedule(Instant due) {
		cancelTimer();
		try {
			this.timer = this.scheduler.schedule(this::timerFired, due);
			this.nextRenewal = due;
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Not scheduling the token renewal for {}: the scheduler is stopping",
					this.connection.currentUrl());
		}
	}

	/** Must hold the lock. */
	private void cancelTimer() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
		this.nextRenewal = null;
	}

	private void timerFired() {
		synchronized (this.lock) {
			this.timer = null;
			this.nextRenewal = null;
			if (!this.running || this.closed) {
				return;
			}
		}
		renew();
	}

	/** Stops renewing; the listeners stay on the connection but do nothing. */
	@Override
	public void close() {
		synchronized (this.lock) {
			this.closed = true;
			this.running = false;
			cancelTimer();
		}
	}

}
