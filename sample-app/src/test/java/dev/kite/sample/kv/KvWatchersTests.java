package dev.kite.sample.kv;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.kite.dnode.DnodeSendException;
import dev.kite.dnode.RemoteCallback;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * The fan-out without a network: a watcher whose sends block (a peer that stopped
 * reading) is dropped once its queue is full, while the puts and the other watcher go on.
 */
@ExtendWith(OutputCaptureExtension.class)
class KvWatchersTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void stop() throws InterruptedException {
		this.release.countDown();
		this.executor.shutdown();
		assertThat(this.executor.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void blockedWatcherIsDroppedWithoutHoldingUpPublishOrOtherWatchers(CapturedOutput output) {
		int capacity = 4;
		KvWatchers watchers = new KvWatchers(this.executor, capacity);
		CountDownLatch slowEntered = new CountDownLatch(1);
		watchers.add(new TestCallback((entry) -> {
			slowEntered.countDown();
			awaitRelease();
		}), "slow");
		List<KvEntry> fastReceived = new CopyOnWriteArrayList<>();
		watchers.add(new TestCallback(fastReceived::add), "fast");
		// The slow watcher's drain blocks on its first entry and keeps it; the queue
		// then holds `capacity` more, and the next one overflows it.
		int puts = capacity + 2;
		for (int version = 1; version <= puts; version++) {
			// Returns at once although the slow watcher's send never does: publish only
			// enqueues (a synchronous fan-out would block here until the bound fails it).
			KvEntry entry = new KvEntry("k", "v" + version, version);
			assertTimeoutPreemptively(WAIT, () -> watchers.publish(entry));
			int expected = version;
			await("the fast watcher has version " + version).atMost(WAIT).until(() -> fastReceived.size() == expected);
			if (version == 1) {
				await("the slow watcher is blocked in its send").atMost(WAIT).until(() -> slowEntered.getCount() == 0);
			}
		}
		assertThat(watchers.count()).as("the slow watcher was dropped, the fast one kept").isEqualTo(1);
		assertThat(output).contains("Dropped kv watcher slow: 4 entries waiting");
		assertThat(fastReceived).extracting(KvEntry::version).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
		watchers.publish(new KvEntry("k", "v7", 7));
		await().atMost(WAIT).until(() -> fastReceived.size() == 7);
	}

	@Test
	void watcherWhoseConnectionIsGoneIsRemovedOnItsNextEntry() {
		KvWatchers watchers = new KvWatchers(this.executor, 4);
		watchers.add(new TestCallback((entry) -> {
			throw new DnodeSendException("connection closed");
		}), "gone");
		watchers.publish(new KvEntry("k", "v", 1));
		await().atMost(WAIT).until(() -> watchers.count() == 0);
	}

	@Test
	void unwatchRemovesOnlyThatWatcher() {
		KvWatchers watchers = new KvWatchers(this.executor, 4);
		Runnable first = watchers.add(new TestCallback((entry) -> {
		}), "first");
		watchers.add(new TestCallback((entry) -> {
		}), "second");
		first.run();
		first.run();
		assertThat(watchers.count()).isEqualTo(1);
	}

	private void awaitRelease() {
		try {
			this.release.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A peer's function as this side sees it, its sends handled in process. */
	private record TestCallback(Consumer<KvEntry> receiver) implements RemoteCallback {

		@Override
		public void call(@Nullable Object... arguments) {
			this.receiver.accept((KvEntry) arguments[0]);
		}

		@Override
		public long id() {
			return 0;
		}

		@Override
		public boolean isOpen() {
			return true;
		}

	}

}
