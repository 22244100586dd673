package dev.kite.benchmarks.load;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * One selector thread for all of the generator's WebSocket connections. On a machine
 * whose cores the server needs, one thread that reads, scans and writes for every
 * connection costs less than a thread (and its wake-ups) per connection: the replies of
 * one read are answered by the next calls, written once at the end of the read.
 *
 * <p>
 * Threads: the loop thread owns the selector, the channels and every connection's
 * buffers; other threads only {@link #execute} tasks on it and {@link #close} it.
 */
final class IoLoop implements AutoCloseable {

	/** Bounds each select, so that a lost wake-up delays a task by this much at most. */
	private static final long SELECT_MILLIS = 100;

	private static final long CLOSE_MILLIS = 5_000;

	private final Selector selector;

	private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final Thread thread;

	private volatile boolean running = true;

	/** A channel's handler, its {@link SelectionKey}'s attachment. */
	interface Handler {

		/**
		 * The channel is ready for what the key's interest set asked.
		 * @param key the key
		 */
		void ready(SelectionKey key);

	}

	/**
	 * Opens the selector and starts the loop thread.
	 * @throws IOException when no selector can be opened
	 */
	IoLoop() throws IOException {
		this.selector = Selector.open();
		this.thread = new Thread(this::loop, "load-io");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	Selector selector() {
		return this.selector;
	}

	/**
	 * Runs a task on the loop thread.
	 * @param task the task
	 */
	void execute(Runnable task) {
		this.tasks.add(task);
		this.selector.wakeup();
	}

	private void loop() {
		try {
			while (this.running) {
				for (Runnable task = this.tasks.poll(); task != null; task = this.tasks.poll()) {
					task.run();
				}
				this.selector.select(SELECT_MILLIS);
				Iterator<SelectionKey> keys = this.selector.selectedKeys().iterator();
				while (keys.hasNext()) {
					SelectionKey key = keys.next();
					keys.remove();
					if (key.isValid() && key.attachment() instanceof Handler handler) {
						handler.ready(key);
					}
				}
			}
		}
		catch (IOException | ClosedSelectorException ex) {
			// Closing: nothing to report, the connections' owners end the run.
		}
		finally {
			for (Runnable task = this.tasks.poll(); task != null; task = this.tasks.poll()) {
				task.run();
			}
			try {
				this.selector.close();
			}
			catch (IOException ex) {
				// Closing anyway.
			}
		}
	}

	/**
	 * Stops the loop (after the tasks already given, such as closing channels) and waits
	 * for it, bounded.
	 * @throws InterruptedException when interrupted while waiting
	 */
	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.selector.wakeup();
		this.thread.join(TimeUnit.MILLISECONDS.toMillis(CLOSE_MILLIS));
	}

}
