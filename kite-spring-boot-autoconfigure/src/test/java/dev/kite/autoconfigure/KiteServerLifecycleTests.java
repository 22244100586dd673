package dev.kite.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kite.rpc.KiteDrain;
import org.junit.jupiter.api.Test;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kite server's graceful stop: drain, then close with 1001, then tell the lifecycle
 * processor; bounded by a timer on the kite scheduler, driven here by hand.
 */
class KiteServerLifecycleTests {

	private final KiteDrain drain = new KiteDrain();

	private final List<CloseStatus> closed = new CopyOnWriteArrayList<>();

	private final TimerScheduler scheduler = new TimerScheduler();

	private final AtomicInteger stopped = new AtomicInteger();

	private final KiteServerLifecycle lifecycle = new KiteServerLifecycle(this.drain, this.closed::add, this.scheduler,
			Duration.ofSeconds(9));

	@Test
	void stopsBetweenRegistrationAndTheGracefulWebServerShutdown() {
		assertThat(this.lifecycle.getPhase()).isLessThan(SmartLifecycle.DEFAULT_PHASE - 256)
			.isGreaterThan(SmartLifecycle.DEFAULT_PHASE - 1024);
	}

	@Test
	void withNothingInFlightClosesSessionsAtOnce() {
		this.lifecycle.start();
		this.lifecycle.stop(this.stopped::incrementAndGet);
		assertThat(this.closed).containsExactly(CloseStatus.GOING_AWAY);
		assertThat(this.stopped).hasValue(1);
		assertThat(this.scheduler.timers).isEmpty();
		assertThat(this.lifecycle.isRunning()).isFalse();
	}

	@Test
	void waitsForTheCallsInFlightThenClosesSessions() {
		this.lifecycle.start();
		assertThat(this.drain.tryEnter()).isTrue();
		this.lifecycle.stop(this.stopped::incrementAndGet);
		assertThat(this.drain.tryEnter()).isFalse();
		assertThat(this.closed).isEmpty();
		assertThat(this.stopped).hasValue(0);
		assertThat(this.scheduler.timers).singleElement()
			.satisfies((timer) -> assertThat(timer.at).isEqualTo(TimerScheduler.NOW.plusSeconds(9)));
		this.drain.exit();
		assertThat(this.closed).containsExactly(CloseStatus.GOING_AWAY);
		assertThat(this.stopped).hasValue(1);
		assertThat(this.scheduler.timers.get(0).task.isCancelled()).isTrue();
	}

	@Test
	void aCallThatNeverEndsIsCutOffByTheTimeout() {
		this.lifecycle.start();
		assertThat(this.drain.tryEnter()).isTrue();
		this.lifecycle.stop(this.stopped::incrementAndGet);
		this.scheduler.timers.get(0).task.run();
		assertThat(this.closed).containsExactly(CloseStatus.GOING_AWAY);
		assertThat(this.stopped).hasValue(1);
		this.drain.exit(); // the handler returns after all: nothing more happens
		assertThat(this.closed).hasSize(1);
		assertThat(this.stopped).hasValue(1);
	}

	@Test
	void aRestartAcceptsCallsAgain() {
		this.lifecycle.start();
		this.lifecycle.stop(this.stopped::incrementAndGet);
		this.lifecycle.start();
		assertThat(this.lifecycle.isRunning()).isTrue();
		assertThat(this.drain.tryEnter()).isTrue();
	}

	@Test
	void theDrainLeavesPartOfThePhaseTimeoutForClosing() {
		assertThat(KiteServerLifecycle.drainTimeout(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(29));
		assertThat(KiteServerLifecycle.drainTimeout(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(1800));
	}

	/** Records the timers it is asked for; the test runs them. */
	static final class TimerScheduler implements TaskScheduler {

		static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

		final List<Timer> timers = new CopyOnWriteArrayList<>();

		record Timer(Instant at, FutureTask<Void> task) {
		}

		@Override
		public Clock getClock() {
			return Clock.fixed(NOW, ZoneOffset.UTC);
		}

		@Override
		public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
			FutureTask<Void> future = new FutureTask<>(task, null);
			this.timers.add(new Timer(startTime, future));
			return new ScheduledTimer(future);
		}

		@Override
		public ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
			throw new UnsupportedOperationException();
		}

		@Override
		public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
			throw new UnsupportedOperationException();
		}

		@Override
		public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
			throw new UnsupportedOperationException();
		}

		@Override
		public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
			throw new UnsupportedOperationException();
		}

		@Override
		public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
			throw new UnsupportedOperationException();
		}

	}

	/** A timer's future: cancelling it cancels the task. */
	private record ScheduledTimer(FutureTask<Void> task) implements ScheduledFuture<Void> {

		@Override
		public long getDelay(java.util.concurrent.TimeUnit unit) {
			return 0;
		}

		@Override
		public int compareTo(java.util.concurrent.Delayed other) {
			return 0;
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			return this.task.cancel(mayInterruptIfRunning);
		}

		@Override
		public boolean isCancelled() {
			return this.task.isCancelled();
		}

		@Override
		public boolean isDone() {
			return this.task.isDone();
		}

		@Override
		public Void get() {
			throw new UnsupportedOperationException();
		}

		@Override
		public Void get(long timeout, java.util.concurrent.TimeUnit unit) {
			throw new UnsupportedOperationException();
		}

	}

}
