package dev.kite.sample.kv;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.kite.dnode.DnodeSendException;
import dev.kite.dnode.RemoteCallback;
import dev.kite.protocol.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kv.watch} functions, each fed from its own bounded queue, so that a watcher
 * that reads slowly (or not at all) holds up neither the puts nor the other watchers.
 *
 * <p>
 * Threads: {@link #publish} runs on the thread of the put (under the key's lock, see
 * {@link KvStore}) and only offers the entry to each watcher's queue, which never blocks.
 * Each watcher's queue is drained by one task at a time on the executor: a send to a peer
 * that does not read may block that task (Spring's
 * {@code ConcurrentWebSocketSessionDecorator} lets the thread that holds a session's
 * flush lock wait for the transport), and only that watcher's entries wait with it. A
 * watcher whose queue is full when an entry arrives is dropped with one WARN line: it has
 * missed a version, and a watcher that silently skips versions would be worse than one
 * that knows it must watch again. A watcher whose connection is gone (the send fails, or
 * its session closes) is removed.
 */
public class KvWatchers {

	private static final Logger logger = LoggerFactory.getLogger(KvWatchers.class);

	private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();

	private final Executor executor;

	private final int queueCapacity;

	/**
	 * @param executor runs the per-watcher drains; it should not be bounded by a small
	 * pool, since a drain may wait on a peer that does not read
	 * @param queueCapacity the entries a watcher may have waiting before it is dropped
	 */
	public KvWatchers(Executor executor, int queueCapacity) {
		if (queueCapacity < 1) {
			throw new IllegalArgumentException("The watch queue capacity must be at least 1");
		}
		this.executor = executor;
		this.queueCapacity = queueCapacity;
	}

	/**
	 * Adds a watcher.
	 * @param callback the peer's function, called with each {@link KvEntry}
	 * @param description who watches, for the log line when it is dropped
	 * @return removes the watcher (idempotent); run it when the connection closes
	 */
	public Runnable add(RemoteCallback callback, String description) {
		Watcher watcher = new Watcher(callback, description, new ArrayBlockingQueue<>(this.queueCapacity));
		this.watchers.add(watcher);
		return () -> this.watchers.remove(watcher);
	}

	/** The number of watchers. */
	public int count() {
		return this.watchers.size();
	}

	/**
	 * Queues an accepted put for every watcher. Never blocks.
	 * @param entry the accepted put
	 */
	public void publish(KvEntry entry) {
		for (Watcher watcher : this.watchers) {
			if (!watcher.queue.offer(entry)) {
				if (this.watchers.remove(watcher)) {
					logger.warn("Dropped kv watcher {}: {} entries waiting, it does not keep up",
							LogSafe.of(watcher.description), this.queueCapacity);
				}
				continue;
			}
			if (watcher.draining.compareAndSet(false, true)) {
				this.executor.execute(() -> drain(watcher));
			}
		}
	}

	private void drain(Watcher watcher) {
		while (true) {
			KvEntry entry;
			while ((entry = watcher.queue.poll()) != null) {
				if (!this.watchers.contains(watcher)) {
					watcher.queue.clear();
					return;
				}
				try {
					watcher.callback.call(entry);
				}
				catch (DnodeSendException ex) {
					// The connection is gone; its close hook may not have run yet.
					this.watchers.remove(watcher);
					logger.debug("Removed kv watcher {}: {}", LogSafe.of(watcher.description),
							LogSafe.of(ex.getMessage()));
					watcher.queue.clear();
					return;
				}
				catch (RuntimeException ex) {
					// Leaving the flag set would starve the watcher silently: drop it
					// loudly.
					this.watchers.remove(watcher);
					logger.warn("Dropped kv watcher {}: sending an entry failed", LogSafe.of(watcher.description), ex);
					watcher.queue.clear();
					return;
				}
			}
			watcher.draining.set(false);
			// An entry offered after the last poll but before the flag was cleared found
			// the flag set and scheduled nothing: take it up here.
			if (watcher.queue.isEmpty() || !watcher.draining.compareAndSet(false, true)) {
				return;
			}
		}
	}

	/** One watcher; identity equality, so one function watching twice is two watchers. */
	private static final class Watcher {

		final RemoteCallback callback;

		final String description;

		final Queue<KvEntry> queue;

		/** Whether a drain task is scheduled or running: at most one at a time. */
		final AtomicBoolean draining = new AtomicBoolean();

		Watcher(RemoteCallback callback, String description, Queue<KvEntry> queue) {
			this.callback = callback;
			this.description = description;
			this.queue = queue;
		}

	}

}
