package dev.kite.client.kontrol;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

import dev.kite.client.KiteConnection;
import dev.kite.protocol.GoDurations;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.LogSafe;
import dev.kite.protocol.RegisterResult;
import dev.kite.rpc.Failures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;

/**
 * Registration over dnode, as a Go kite registers (PROTOCOL §6.3): a
 * {@link KontrolClient} that redials forever calls {@code register} after every
 * successful dial, answers Kontrol's {@code kite.heartbeat} for as long as the connection
 * lives (the factory's dispatcher serves it), and retries a failed {@code register} every
 * {@code retryInterval} (Go's {@code RegisterForever}: 10 s) while connected. A lost
 * connection is redialed with backoff and registered again at once. {@link #close()}
 * closes the Kontrol connection: a Java Kontrol deletes the record at once, a Go Kontrol
 * lets it expire.
 *
 * <p>
 * This registration owns its Kontrol client: share neither with discovery, so
 * deregistering (closing it) leaves the application's other Kontrol calls working.
 *
 * <p>
 * Thread safety: state changes under one lock, held only to change fields; register
 * outcomes arrive on the client's executor, retries on the scheduler, connects on the
 * executor. Listener calls happen outside the lock.
 */
public final class KontrolDnodeRegistration implements KontrolRegistration {

	private static final Logger logger = LoggerFactory.getLogger(KontrolDnodeRegistration.class);

	private final KontrolClient client;

	private final TaskScheduler scheduler;

	private final Duration retryInterval;

	private final KontrolRegistrationListener listener;

	private final CompletableFuture<RegisterResult> first = new CompletableFuture<>();

	private final Object lock = new Object();

	// Guarded by lock:
	private KontrolRegistrationStatus.State state = KontrolRegistrationStatus.State.NEW;

	private @Nullable URI url;

	private @Nullable Instant lastRegistered;

	private @Nullable String lastError;

	private @Nullable ScheduledFuture<?> retry;

	private long attempts;

	/**
	 * @param client the Kontrol client this registration owns (and closes)
	 * @param scheduler runs retries
	 * @param retryInterval the delay before retrying a failed {@code register} (Go: 10 s)
	 * @param listener told of registrations and failures
	 */
	public KontrolDnodeRegistration(KontrolClient client, TaskScheduler scheduler, Duration retryInterval,
			KontrolRegistrationListener listener) {
		this.client = Objects.requireNonNull(client, "client");
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
		if (retryInterval.isNegative() || retryInterval.isZero()) {
			throw new IllegalArgumentException("retryInterval must be positive");
		}
		this.retryInterval = retryInterval;
		this.listener = Objects.requireNonNull(listener, "listener");
	}

	@Override
	public void start(URI url) {
		synchronized (this.lock) {
			if (this.state != KontrolRegistrationStatus.State.NEW) {
				throw new IllegalStateException("Registration already " + this.state.name().toLowerCase());
			}
			this.url = Objects.requireNonNull(url, "url");
			this.state = KontrolRegistrationStatus.State.REGISTERING;
		}
		KiteConnection connection = this.client.connection();
		connection.onConnect(this::register);
		connection.onDisconnect(this::disconnected);
		if (connection.isConnected()) {
			register();
		}
		this.client.connect(); // redials forever; each success registers (onConnect)
	}

	@Override
	public CompletableFuture<RegisterResult> firstRegistration() {
		return this.first.copy();
	}

	@Override
	public KontrolRegistrationStatus status() {
		synchronized (this.lock) {
			return new KontrolRegistrationStatus(this.state, this.client.url(), this.url, this.lastRegistered,
					this.client.connection().lastHeartbeat().orElse(null), this.lastError);
		}
	}

	/** Sends {@code register}; on the executor after a dial, or on the scheduler. */
	private void register() {
		URI target;
		long attempt;
		synchronized (this.lock) {
			if (this.state == KontrolRegistrationStatus.State.CLOSED || this.url == null) {
				return;
			}
			cancelRetry();
			target = this.url;
			attempt = ++this.attempts;
		}
		CompletableFuture<RegisterResult> sent;
		try {
			sent = this.client.register(target);
		}
		catch (RuntimeException ex) {
			sent = CompletableFuture.failedFuture(ex);
		}
		sent.whenComplete((result, failure) -> {
			if (failure != null) {
				failed(attempt, Failures.unwrap(failure));
			}
			else {
				registered(attempt, result);
			}
		});
	}

	private void registered(long attempt, RegisterResult result) {
		synchronized (this.lock) {
			if (this.state == KontrolRegistrationStatus.State.CLOSED) {
				return;
			}
			this.state = KontrolRegistrationStatus.State.REGISTERED;
			this.lastRegistered = this.scheduler.getClock().instant();
			this.lastError = null;
		}
		logger.info("Registered with Kontrol {} as {}", this.client.url(), LogSafe.of(result.url()));
		this.first.complete(result);
		this.listener.registered(result);
	}

	private void failed(long attempt, Throwable failure) {
		String message = describe(failure);
		synchronized (this.lock) {
			if (this.state == KontrolRegistrationStatus.State.CLOSED || attempt != this.attempts) {
				return; // closed, or a newer attempt (after a reconnect) decides
			}
			this.state = KontrolRegistrationStatus.State.RETRYING;
			this.lastError = message;
			try {
				this.retry = this.scheduler.schedule(this::register,
						this.scheduler.getClock().instant().plus(this.retryInterval));
			}
			catch (RejectedExecutionException ex) {
				logger.debug("Not retrying the registration: the scheduler is stopping");
				return;
			}
		}
		logger.warn("Registering with Kontrol {} failed ({}); next attempt in {}", this.client.url(),
				LogSafe.of(message), GoDurations.format(this.retryInterval));
		this.listener.failed(failure, this.retryInterval);
	}

	private void disconnected() {
		boolean wasRegistered;
		synchronized (this.lock) {
			if (this.state == KontrolRegistrationStatus.State.CLOSED) {
				return;
			}
			wasRegistered = this.state == KontrolRegistrationStatus.State.REGISTERED;
			this.state = KontrolRegistrationStatus.State.RETRYING;
			this.lastError = "lost the connection to Kontrol";
			cancelRetry(); // the reconnect registers
		}
		if (wasRegistered) {
			logger.warn("Lost the connection to Kontrol {}; registering again once reconnected", this.client.url());
		}
	}

	/** Must hold the lock. */
	private void cancelRetry() {
		if (this.retry != null) {
			this.retry.cancel(false);
			this.retry = null;
		}
	}

	private static String describe(Throwable failure) {
		return (failure instanceof KiteException) ? String.valueOf(failure.getMessage()) : failure.toString();
	}

	@Override
	public void close() {
		boolean wasStarted;
		synchronized (this.lock) {
			if (this.state == KontrolRegistrationStatus.State.CLOSED) {
				return;
			}
			wasStarted = this.state != KontrolRegistrationStatus.State.NEW;
			this.state = KontrolRegistrationStatus.State.CLOSED;
			cancelRetry();
		}
		this.client.close();
		this.first.completeExceptionally(new IllegalStateException("The Kontrol registration was closed"));
		if (wasStarted) {
			logger.info(
					"Left Kontrol {} (closed the connection: a Java Kontrol drops the record at once, a Go Kontrol lets it expire)",
					this.client.url());
			this.listener.deregistered();
		}
	}

	@Override
	public String toString() {
		return "KontrolDnodeRegistration[" + this.client.url() + "]";
	}

}
