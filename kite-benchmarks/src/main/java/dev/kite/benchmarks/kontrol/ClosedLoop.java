package dev.kite.benchmarks.kontrol;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.kite.benchmarks.Latencies;
import org.HdrHistogram.ConcurrentHistogram;
import org.jspecify.annotations.Nullable;

/**
 * A closed loop of asynchronous calls: each slot starts its next call as soon as the
 * previous one completed, so the number of calls in flight is the number of slots. After
 * a warm-up, calls that start and complete inside the measured window have their latency
 * (start to completion of the future) recorded; the window ends after the duration or
 * once the call budget is used. A failed call stops the loop: a benchmark with errors
 * measures nothing worth reporting.
 *
 * <p>
 * Being closed, the loop measures service time under the load it generates itself; it
 * does not correct for coordinated omission.
 *
 * <p>
 * Threads: {@link #run()} blocks its caller (every wait bounded); each call's completion
 * runs on whatever thread completes its future and starts that slot's next call there.
 */
public final class ClosedLoop {

	private final List<Supplier<CompletableFuture<?>>> slots;

	private final Duration warmup;

	private final Duration duration;

	private final long budget;

	private final Duration drainTimeout;

	private final ConcurrentHistogram histogram = Latencies.newHistogram();

	private final AtomicLong measured = new AtomicLong();

	private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

	/** Counted down when the budget is used or a call failed: the window ends early. */
	private final CountDownLatch endEarly = new CountDownLatch(1);

	private final CountDownLatch drained;

	private volatile boolean measuring;

	/** When the call that used the budget completed; 0 until then. */
	private volatile long budgetUsedAt;

	private volatile boolean stopping;

	/**
	 * @param slots one call starter per slot; a starter may be called from any thread and
	 * must return a future completed by another thread (an already completed one would
	 * start the next call in the same stack frame, without end)
	 * @param warmup how long to run before measuring
	 * @param duration how long to measure
	 * @param budget end the window after this many measured calls (0: no limit)
	 * @param drainTimeout how long to wait for the calls in flight after the window
	 */
	public ClosedLoop(List<Supplier<CompletableFuture<?>>> slots, Duration warmup, Duration duration, long budget,
			Duration drainTimeout) {
		this.slots = List.copyOf(slots);
		this.warmup = warmup;
		this.duration = duration;
		this.budget = budget;
		this.drainTimeout = drainTimeout;
		this.drained = new CountDownLatch(this.slots.size());
	}

	/**
	 * Runs the loop: warm-up, measured window, drain.
	 * @return what the window measured
	 * @throws InterruptedException when interrupted
	 * @throws IllegalStateException when calls are still in flight after the drain
	 * timeout
	 */
	public LoopResult run() throws InterruptedException {
		return run(() -> {
		}, () -> {
		});
	}

	/**
	 * Runs the loop: warm-up, measured window, drain; telling the caller when the window
	 * opens and closes (e.g. to sample CPU time for exactly the window).
	 * @param windowOpened run on the caller's thread as the window opens
	 * @param windowClosed run on the caller's thread as the window closes
	 * @return what the window measured
	 * @throws InterruptedException when interrupted
	 * @throws IllegalStateException when calls are still in flight after the drain
	 * timeout
	 */
	public LoopResult run(Runnable windowOpened, Runnable windowClosed) throws InterruptedException {
		this.slots.forEach(this::next);
		if (!this.warmup.isZero()) {
			this.endEarly.await(this.warmup.toNanos(), TimeUnit.NANOSECONDS);
		}
		windowOpened.run();
		long start = System.nanoTime();
		this.measuring = true;
		this.endEarly.await(this.duration.toNanos(), TimeUnit.NANOSECONDS);
		this.measuring = false;
		long end = System.nanoTime();
		windowClosed.run();
		long budgetUsedAt = this.budgetUsedAt;
		long elapsed = ((budgetUsedAt != 0) ? budgetUsedAt : end) - start;
		this.stopping = true;
		if (!this.drained.await(this.drainTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
			throw new IllegalStateException(
					this.drained.getCount() + " calls still in flight " + this.drainTimeout + " after the window");
		}
		return new LoopResult(Latencies.of(this.histogram), elapsed, this.failure.get());
	}

	private void next(Supplier<CompletableFuture<?>> slot) {
		if (this.stopping) {
			this.drained.countDown();
			return;
		}
		boolean inWindow = this.measuring;
		long start = System.nanoTime();
		CompletableFuture<?> call;
		try {
			call = slot.get();
		}
		catch (RuntimeException ex) {
			call = CompletableFuture.failedFuture(ex);
		}
		call.whenComplete((result, ex) -> {
			long latency = System.nanoTime() - start;
			if (ex != null) {
				// Stop at the first failure, which is reported; later ones add nothing.
				this.failure.compareAndSet(null, ex);
				this.stopping = true;
				this.endEarly.countDown();
			}
			else if (inWindow && this.measuring) {
				long count = this.measured.incrementAndGet();
				if (this.budget == 0 || count <= this.budget) {
					Latencies.record(this.histogram, latency);
				}
				if (count == this.budget) {
					// The window ends here, not when the main thread wakes up.
					this.budgetUsedAt = System.nanoTime();
					this.measuring = false;
					this.endEarly.countDown();
				}
			}
			next(slot);
		});
	}

	/**
	 * What a measured window saw.
	 *
	 * @param latencies the latencies of the calls that started and completed in it
	 * @param elapsedNanos how long it lasted
	 * @param failure the first failed call (anywhere in the run), or {@code null}
	 */
	public record LoopResult(Latencies latencies, long elapsedNanos, @Nullable Throwable failure) {

		/** Measured calls per second. */
		public double callsPerSecond() {
			return (this.elapsedNanos > 0) ? this.latencies.count() * 1e9 / this.elapsedNanos : 0;
		}

	}

}
