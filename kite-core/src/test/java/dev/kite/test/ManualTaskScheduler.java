package dev.kite.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.support.SimpleTriggerContext;

/**
 * A {@link TaskScheduler} for tests whose time stands still until the test moves it:
 * scheduled tasks run on the test's thread, inside {@link #advance(Duration)}, in the
 * order of their due times (then of scheduling), and {@link #getClock()} shows the
 * scheduler's time. Tests that use it never wait on the wall clock.
 *
 * <p>
 * Thread safety: meant for the test's thread; the methods are synchronized so a task
 * scheduled from another thread is not lost, but tasks only ever run inside
 * {@code advance}.
 */
public final class ManualTaskScheduler implements TaskScheduler {

	private final PriorityQueue<Task> queue = new PriorityQueue<>();

	private Instant now;

	private long sequence;

	private boolean shutDown;

	private final Clock clock = new Clock() {

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException("The manual clock is always UTC");
		}

		@Override
		public Instant instant() {
			return now();
		}

	};

	/** A scheduler whose time starts at an arbitrary fixed instant. */
	public ManualTaskScheduler() {
		this(Instant.parse("2026-01-01T00:00:00Z"));
	}

	/**
	 * @param start the scheduler's time until the first {@link #advance(Duration)}
	 */
	public ManualTaskScheduler(Instant start) {
		this.now = start;
	}

	/** The scheduler's current time. */
	public synchronized Instant now() {
		return this.now;
	}

	@Override
	public Clock getClock() {
		return this.clock;
	}

	/**
	 * Moves time forward, running every task that falls due on the way, each at its due
	 * time.
	 * @param duration how far; not negative
	 */
	public void advance(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("Time only moves forward");
		}
		Instant target = now().plus(duration);
		Task task;
		while ((task = nextDue(target)) != null) {
			task.run();
		}
		synchronized (this) {
			this.now = target;
		}
	}

	private synchronized @Nullable Task nextDue(Instant target) {
		Task task = this.queue.peek();
		if (task == null || task.due.isAfter(target)) {
			return null;
		}
		this.queue.poll();
		this.now = task.due;
		return task;
	}

	/** The tasks still waiting to run (cancelled ones are not counted). */
	public synchronized List<ScheduledFuture<?>> pending() {
		List<ScheduledFuture<?>> pending = new ArrayList<>();
		for (Task task : this.queue) {
			if (!task.isCancelled()) {
				pending.add(task);
			}
		}
		return pending;
	}

	/**
	 * Refuses every later task with a {@link TaskRejectedException}, as the scheduler of
	 * a stopping application does.
	 */
	public synchronized void shutdown() {
		this.shutDown = true;
	}

	private synchronized Task enqueue(Task task) {
		if (this.shutDown) {
			throw new TaskRejectedException("The scheduler is shut down");
		}
		task.order = this.sequence++;
		this.queue.add(task);
		return task;
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable runnable, Trigger trigger) {
		SimpleTriggerContext context = new SimpleTriggerContext(this.clock);
		Instant first = trigger.nextExecution(context);
		if (first == null) {
			Task never = new Task(runnable, now(), null);
			never.cancel(false);
			return never;
		}
		Task task = new Task(runnable, first, (previous) -> {
			Instant ran = now();
			context.update(previous, ran, ran);
			return trigger.nextExecution(context);
		});
		return enqueue(task);
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable runnable, Instant startTime) {
		return enqueue(new Task(runnable, startTime, null));
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable runnable, Instant startTime, Duration period) {
		return enqueue(new Task(runnable, startTime, (previous) -> previous.plus(period)));
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable runnable, Duration period) {
		return scheduleAtFixedRate(runnable, now(), period);
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable runnable, Instant startTime, Duration delay) {
		return enqueue(new Task(runnable, startTime, (previous) -> now().plus(delay)));
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable runnable, Duration delay) {
		return scheduleWithFixedDelay(runnable, now(), delay);
	}

	/**
	 * When a repeating task runs next, given when it was due last; {@code null}: never.
	 */
	private interface Next {

		@Nullable Instant after(Instant previous);

	}

	private final class Task implements ScheduledFuture<Object> {

		private final Runnable runnable;

		private final @Nullable Next next;

		private Instant due;

		private long order;

		private volatile boolean cancelled;

		private volatile boolean done;

		Task(Runnable runnable, Instant due, @Nullable Next next) {
			this.runnable = runnable;
			this.due = due;
			this.next = next;
		}

		void run() {
			if (this.cancelled) {
				return;
			}
			try {
				this.runnable.run();
			}
			catch (RuntimeException ex) {
				this.done = true; // a failing periodic task stops, as in a
									// ScheduledExecutorService
				throw ex;
			}
			Instant following = (this.next != null) ? this.next.after(this.due) : null;
			if (following == null) {
				this.done = true;
			}
			else if (!this.cancelled) {
				this.due = following;
				enqueue(this);
			}
		}

		@Override
		public long getDelay(TimeUnit unit) {
			return unit.convert(Duration.between(now(), this.due));
		}

		@Override
		public int compareTo(Delayed other) {
			Task task = (Task) other;
			int byDue = this.due.compareTo(task.due);
			return (byDue != 0) ? byDue : Long.compare(this.order, task.order);
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
		public @Nullable Object get() {
			if (!isDone()) {
				throw new IllegalStateException("Not done: advance the scheduler's time instead of waiting");
			}
			return null;
		}

		@Override
		public @Nullable Object get(long timeout, TimeUnit unit) {
			return get();
		}

	}

}
