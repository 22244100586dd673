package dev.kite.rpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The calls a {@link KiteDispatcher} has accepted and not yet answered, and whether it
 * still accepts new ones: what a graceful shutdown needs to stop taking calls and wait
 * for those in flight.
 *
 * <p>
 * A call {@link #tryEnter() enters} before it is handed to the executor and
 * {@link #exit() exits} once its reply was queued (or could not be sent). After
 * {@link #drain()} every new call is refused, and the returned future completes when the
 * last call in flight exits (at once when none is). {@link #resume()} accepts calls
 * again, for a context that is started after it was stopped.
 *
 * <p>
 * Thread safety: every method may be called from any thread. The hot path is one atomic
 * increment and one volatile read per call, no lock: a call that enters while draining
 * starts undoes its increment, so the count reaches zero only when no accepted call is in
 * flight.
 */
public final class KiteDrain {

	private final AtomicInteger inFlight = new AtomicInteger();

	/** {@code null} while calls are accepted; completes when the drain is done. */
	private volatile @Nullable CompletableFuture<Void> drained;

	/**
	 * Counts a call in, unless draining.
	 * @return {@code true} when the call is accepted (it must {@link #exit()} later),
	 * {@code false} when it must be refused
	 */
	public boolean tryEnter() {
		this.inFlight.incrementAndGet();
		if (this.drained != null) {
			exit();
			return false;
		}
		return true;
	}

	/** Counts an accepted call out: its reply was queued or could not be sent. */
	public void exit() {
		if (this.inFlight.decrementAndGet() == 0) {
			CompletableFuture<Void> drained = this.drained;
			if (drained != null) {
				drained.complete(null);
			}
		}
	}

	/**
	 * Refuses new calls from now on.
	 * @return a future that completes once no accepted call is in flight; the same future
	 * for every call until {@link #resume()}
	 */
	public synchronized CompletableFuture<Void> drain() {
		CompletableFuture<Void> drained = this.drained;
		if (drained == null) {
			drained = new CompletableFuture<>();
			this.drained = drained;
			// A call that exits between the assignment and this read completes it too:
			// complete() is idempotent.
			if (this.inFlight.get() == 0) {
				drained.complete(null);
			}
		}
		return drained;
	}

	/** Accepts calls again (after {@link #drain()}, when the application restarts). */
	public synchronized void resume() {
		this.drained = null;
	}

	/** Whether new calls are refused. */
	public boolean isDraining() {
		return this.drained != null;
	}

	/** The number of accepted calls not yet answered. */
	public int inFlight() {
		return this.inFlight.get();
	}

}
