package dev.kite.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.kite.rpc.KiteDrain;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.CloseStatus;

/**
 * Stops the kite server gracefully when the application stops: refuses new calls
 * ({@code genericError} "server is shutting down"), waits for the calls in flight to be
 * answered, at most for the drain timeout, then closes every kite session with 1001
 * (going away).
 *
 * <p>
 * Its phase, {@link #PHASE}, puts it after the Kontrol registration (which leaves the
 * registry first) and before Boot's graceful web server shutdown (which would otherwise
 * wait for held XHR polls), so HTTP requests in flight still finish afterwards and the
 * application's own kite clients, closed only when the context destroys its beans, serve
 * them until then.
 *
 * <p>
 * Threads: {@link #start()} and {@link #stop(Runnable)} run on the thread that starts or
 * closes the context; the drain completes on the thread that answers the last call in
 * flight, or on the scheduler when the timeout comes first. Whichever comes first closes
 * the sessions and tells the lifecycle processor (once); neither blocks.
 */
final class KiteServerLifecycle implements SmartLifecycle {

	/**
	 * After the registration lifecycle ({@code DEFAULT_PHASE - 256}), before Boot's
	 * graceful web server shutdown ({@code DEFAULT_PHASE - 1024}).
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	/** Boot's default {@code spring.lifecycle.timeout-per-shutdown-phase}. */
	static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

	private static final Logger logger = LoggerFactory.getLogger(KiteServerLifecycle.class);

	private final KiteDrain drain;

	private final Consumer<CloseStatus> closeSessions;

	private final TaskScheduler scheduler;

	private final Duration drainTimeout;

	private volatile boolean running;

	/**
	 * @param drain the dispatcher's calls in flight
	 * @param closeSessions closes the endpoint's sessions with a status (e.g.
	 * {@code KiteWebSocketHandler::closeSessions})
	 * @param scheduler bounds the drain (its clock is the one used)
	 * @param drainTimeout how long calls in flight may take to finish
	 */
	KiteServerLifecycle(KiteDrain drain, Consumer<CloseStatus> closeSessions, TaskScheduler scheduler,
			Duration drainTimeout) {
		this.drain = drain;
		this.closeSessions = closeSessions;
		this.scheduler = scheduler;
		this.drainTimeout = drainTimeout;
	}

	/**
	 * The drain timeout for a shutdown phase timeout: the phase's time less a tenth (at
	 * most one second), left for closing the sessions, so everything ends within the
	 * phase and the lifecycle processor never gives up on this bean.
	 * @param phaseTimeout {@code spring.lifecycle.timeout-per-shutdown-phase}
	 * @return the drain timeout
	 */
	static Duration drainTimeout(Duration phaseTimeout) {
		Duration margin = phaseTimeout.dividedBy(10);
		return phaseTimeout.minus((margin.compareTo(Duration.ofSeconds(1)) > 0) ? Duration.ofSeconds(1) : margin);
	}

	@Override
	public void start() {
		this.drain.resume();
		this.running = true;
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		CompletableFuture<Void> drained = this.drain.drain();
		AtomicBoolean finished = new AtomicBoolean();
		Runnable finish = () -> {
			if (finished.compareAndSet(false, true)) {
				this.closeSessions.accept(CloseStatus.GOING_AWAY);
				callback.run();
			}
		};
		if (drained.isDone()) {
			finish.run();
			return;
		}
		logger.info("Waiting up to {} for {} kite call(s) in flight", this.drainTimeout, this.drain.inFlight());
		ScheduledFuture<?> timer = schedule(() -> {
			if (!finished.get()) {
				logger.warn("{} kite call(s) still in flight after {}: closing their sessions", this.drain.inFlight(),
						this.drainTimeout);
			}
			finish.run();
		});
		if (timer == null) {
			finish.run(); // no way to bound the wait: close now
			return;
		}
		drained.whenComplete((done, failure) -> {
			timer.cancel(false);
			finish.run();
		});
	}

	private @Nullable ScheduledFuture<?> schedule(Runnable task) {
		try {
			return this.scheduler.schedule(task, this.scheduler.getClock().instant().plus(this.drainTimeout));
		}
		catch (TaskRejectedException ex) {
			logger.warn("Cannot bound the drain of kite calls ({}): closing sessions now", ex.getMessage());
			return null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
