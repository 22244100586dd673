package dev.kite.rpc;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor, without holding a
 * thread while idle. Used per connection so that a peer's callback invocations run in
 * arrival order (as Go runs them) while the network thread moves on.
 *
 * <p>
 * Thread safety: {@link #execute} may be called from any thread; at most one task runs at
 * once.
 */
final class SerialExecutor implements Executor {

	private static final Logger logger = LoggerFactory.getLogger(SerialExecutor.class);

	private final Executor delegate;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean draining = new AtomicBoolean();

	SerialExecutor(Executor delegate) {
		this.delegate = delegate;
	}

	@Override
	public void execute(Runnable task) {
		this.tasks.add(task);
		scheduleDrain();
	}

	private void scheduleDrain() {
		if (!this.tasks.isEmpty() && this.draining.compareAndSet(false, true)) {
			try {
				this.delegate.execute(this::drain);
			}
			catch (RuntimeException ex) {
				this.draining.set(false);
				throw ex;
			}
		}
	}

	private void drain() {
		try {
			Runnable task;
			while ((task = this.tasks.poll()) != null) {
				try {
					task.run();
				}
				catch (RuntimeException ex) {
					logger.warn("A callback task failed", ex);
				}
			}
		}
		finally {
			this.draining.set(false);
		}
		// A task may have arrived between the last poll and releasing the flag.
		scheduleDrain();
	}

}
