package dev.kite.benchmarks.load;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * The state all connections of one closed-loop run share: the measured window, the call
 * budget, the error count, the calls in flight and why the run ended early.
 *
 * <p>
 * Threads: the generator's main thread opens and closes the window and waits on it;
 * connections' reply threads report completions concurrently (only atomics and volatiles
 * here).
 */
final class LoadRun {

	private final long budget;

	private final AtomicLong budgetUsed = new AtomicLong();

	private final LongAdder errors = new LongAdder();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final CountDownLatch endEarly = new CountDownLatch(1);

	private final AtomicReference<@Nullable String> endReason = new AtomicReference<>();

	/** When the window opened; {@code Long.MAX_VALUE} before. */
	private volatile long windowStart = Long.MAX_VALUE;

	/** When the window closed; {@code Long.MAX_VALUE} while open. */
	private volatile long windowEnd = Long.MAX_VALUE;

	private volatile boolean stopping;

	/**
	 * @param budget end the window after this many measured calls (0: no limit)
	 */
	LoadRun(long budget) {
		this.budget = budget;
	}

	void openWindow(long now) {
		this.windowStart = now;
	}

	/**
	 * Closes the window unless the budget closed it already.
	 * @param now the time
	 * @return when it closed
	 */
	synchronized long closeWindow(long now) {
		if (this.windowEnd == Long.MAX_VALUE) {
			this.windowEnd = now;
		}
		return this.windowEnd;
	}

	/**
	 * Whether a call completing now counts in the window; uses the budget.
	 * @param start when the call was sent
	 * @param now when its reply arrived
	 * @return whether it is measured
	 */
	boolean measured(long start, long now) {
		if (start < this.windowStart || now > this.windowEnd) {
			return false;
		}
		if (this.budget > 0) {
			long used = this.budgetUsed.incrementAndGet();
			if (used > this.budget) {
				return false;
			}
			if (used == this.budget) {
				// The window ends with this call, not when the main thread wakes up.
				closeWindow(now);
				this.endEarly.countDown();
			}
		}
		return true;
	}

	void error() {
		this.errors.increment();
	}

	long errors() {
		return this.errors.sum();
	}

	/** A call was sent. */
	void sent() {
		this.inFlight.incrementAndGet();
	}

	/** A call ended: answered, failed or given up. */
	void callEnded() {
		this.inFlight.decrementAndGet();
	}

	int inFlight() {
		return this.inFlight.get();
	}

	boolean stopping() {
		return this.stopping;
	}

	void stop() {
		this.stopping = true;
	}

	/**
	 * Ends the run early: a peer closed its connection or a call timed out.
	 * @param reason why, for the report
	 */
	void abort(String reason) {
		this.endReason.compareAndSet(null, reason);
		this.stopping = true;
		this.endEarly.countDown();
	}

	@Nullable String abortReason() {
		return this.endReason.get();
	}

	/**
	 * Waits until the budget is used or the run aborted, at most the given time.
	 * @param nanos the bound
	 * @throws InterruptedException when interrupted
	 */
	void awaitEnd(long nanos) throws InterruptedException {
		this.endEarly.await(nanos, TimeUnit.NANOSECONDS);
	}

	boolean endedEarly() {
		return this.endEarly.getCount() == 0;
	}

}
