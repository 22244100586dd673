package dev.kite.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;

/**
 * A {@link TaskScheduler} whose time moves only when the test {@link #advance(Duration)
 * advances} it; due tasks then run on the test's thread, in time order. One-shot tasks
 * only.
 */
final class ManualTaskScheduler implements TaskScheduler {

	private final List<Task> tasks = new ArrayList<>();

	private Instant now = Instant.parse("2026-01-01T00:00:00Z");

	private boolean shutDown;

	@Override
	public synchronized Clock getClock() {
		return Clock.fixed(this.now, ZoneOffset.UTC);
	}

	@Override
	public synchronized ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
		if (this.shutDown) {
			throw new TaskRejectedException("The scheduler is shut down");
		}
		Task scheduled = new Task(task, startTime);
		this.tasks.add(scheduled);
		return scheduled;
	}

	/** Moves the time forward and runs what became due. */
	void advance(Duration duration) {
		Instant until;
		synchronized (this) {
			until = this.now.plus(duration);
		}
		while (true) {
			Task next;
			synchronized (this) {
				next = this.tasks.stream()
					.filter((task) -> !task.cancelled && !task.startTime.isAfter(until))
					.min(Comparator.comparing((Task task) -> task.startTime))
					.orElse(null);
				if (next == null) {
					this.now = until;
					return;
				}
				this.tasks.remove(next);
				this.now = next.startTime;
			}
			next.done = true;
			next.runnable.run();
		}
	}

	/** Refuses every later task, as a scheduler of a stopping application does. */
	synchronized void shutdown() {
		this.shutDown = true;
	}

	/** Tasks scheduled and neither run nor cancelled. */
	synchronized long pending() {
		return this.tasks.stream().filter((task) -> !task.cancelled).count();
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

	private final class Task implements ScheduledFuture<Object> {

		final Runnable runnable;

		final Instant startTime;

		volatile boolean cancelled;

		volatile boolean done;

		Task(Runnable runnable, Instant startTime) {
			this.runnable = runnable;
			this.startTime = startTime;
		}

		@Override
		public long getDelay(TimeUnit unit) {
			return unit.convert(Duration.between(getClock().instant(), this.startTime));
		}

		@Override
		public int compareTo(Delayed other) {
			return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			if (this.done) {
				return false;
			}
			this.cancelled = true;
			return true;
		}

		@Override
		public boolean isCancelled() {
			return this.cancelled;
		}

		@Override
		public boolean isDone() {
			return this.done || this.cancelled;
		}

		@Override
		public Object get() {
			throw new UnsupportedOperationException();
		}

		@Override
		public Object get(long timeout, TimeUnit unit) {
			throw new UnsupportedOperationException();
		}

	}

}
