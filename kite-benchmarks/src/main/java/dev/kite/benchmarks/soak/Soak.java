package dev.kite.benchmarks.soak;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.kite.benchmarks.fuzz.FuzzServer;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.client.Transport;
import dev.kite.protocol.KiteException;
import dev.kite.rpc.KiteWebSocketLimits;
import dev.kite.rpc.Failures;

/**
 * Many {@link KiteConnection}s (SockJS over WebSocket, as Go kites dial) calling
 * {@code square} on a {@link FuzzServer} in a closed loop, one call in flight each, while
 * a chaos loop closes a random connection every {@code disconnectEvery} and dials a
 * replacement. Checks: a connection that was dropped sees only {@code disconnect} errors,
 * a live one none at all, every answer is right; reports calls/s and the heap (after a
 * full GC) and thread count before the connections and after they all closed.
 *
 * <p>
 * Threads: {@link #run} blocks its caller and runs the chaos loop; calls complete and
 * re-issue themselves on the client factory's threads. A slot's monitor orders its next
 * call against its drop, so no call starts on a dropped connection.
 */
public final class Soak {

	/**
	 * What to run.
	 *
	 * @param connections connections calling at once
	 * @param duration how long
	 * @param disconnectEvery how often a random connection is dropped and replaced
	 * @param timeout bounds dials and calls
	 * @param seed picks the dropped connections
	 * @param drops end after this many drops, even before the duration is over (0: no
	 * limit)
	 */
	public record Options(int connections, Duration duration, Duration disconnectEvery, Duration timeout, long seed,
			int drops) {
	}

	private final Options options;

	private final LongAdder calls = new LongAdder();

	private final LongAdder disconnects = new LongAdder();

	private final Map<String, LongAdder> errorsOfDropped = new ConcurrentHashMap<>();

	private final List<String> failures = new CopyOnWriteArrayList<>();

	/**
	 * @param options what to run
	 */
	public Soak(Options options) {
		this.options = options;
	}

	/**
	 * Runs the soak and prints the report; the last line is
	 * {@code calls=… calls_per_sec=… dropped=… failures=… heap_growth_mib=… threads_before=… threads_after=…}.
	 * @param out where the report goes
	 * @return whether every check passed
	 * @throws Exception when the server or the client cannot be set up
	 */
	public boolean run(PrintStream out) throws Exception {
		try (FuzzServer server = new FuzzServer()) {
			long heapBefore = usedHeapAfterGc();
			int threadsBefore = threads();
			KiteWebSocketLimits defaults = KiteWebSocketLimits.defaults();
			// The replies are tiny: small client buffers let a thousand connections fit.
			KiteWebSocketLimits limits = new KiteWebSocketLimits(64 * 1024, defaults.sendTimeLimit(),
					defaults.sendBufferSizeLimit());
			long measured;
			Duration elapsed;
			int dropped;
			try (KiteClientFactory factory = KiteClientFactory.builder().limits(limits).build()) {
				List<Slot> slots = new ArrayList<>();
				List<CompletableFuture<?>> dials = new ArrayList<>();
				for (int i = 0; i < this.options.connections(); i++) {
					Slot slot = new Slot(connection(factory, server));
					slots.add(slot);
					dials.add(slot.connection.connect());
					if (dials.size() == 50) {
						awaitAll(dials);
					}
				}
				awaitAll(dials);
				out.printf("%d connections open; heap %.1f MiB, %d threads%n", slots.size(), mib(usedHeap()),
						threads());
				long start = System.nanoTime();
				slots.forEach(this::next);
				SplittableRandom random = new SplittableRandom(this.options.seed());
				long end = start + this.options.duration().toNanos();
				dropped = 0;
				while (System.nanoTime() < end && this.failures.isEmpty()
						&& (this.options.drops() == 0 || dropped < this.options.drops())) {
					Thread.sleep(this.options.disconnectEvery().toMillis());
					int index = random.nextInt(slots.size());
					slots.get(index).drop();
					dropped++;
					Slot replacement = new Slot(connection(factory, server));
					replacement.connection.connect().get(this.options.timeout().toMillis(), TimeUnit.MILLISECONDS);
					slots.set(index, replacement);
					next(replacement);
				}
				measured = this.calls.sum();
				elapsed = Duration.ofNanos(System.nanoTime() - start);
				slots.forEach(Slot::drop);
			}
			awaitSessions(server);
			long heapAfter = usedHeapAfterGc();
			int threadsAfter = threads();
			long perSecond = measured * 1000 / Math.max(1, elapsed.toMillis());
			out.printf("%d calls in %.1f s (%d calls/s) on %d connections, %d dropped and replaced%n", measured,
					elapsed.toMillis() / 1000.0, perSecond, this.options.connections(), dropped);
			Map<String, Long> errors = new TreeMap<>();
			this.errorsOfDropped.forEach((type, count) -> errors.put(type, count.sum()));
			out.printf("errors of calls in flight on dropped connections, by type: %s%n", errors);
			out.printf("heap after GC: %.1f MiB before, %.1f MiB after; threads: %d before, %d after%n",
					mib(heapBefore), mib(heapAfter), threadsBefore, threadsAfter);
			if (!this.failures.isEmpty()) {
				out.printf("FAILED (%d):%n", this.failures.size());
				this.failures.stream().limit(20).forEach((failure) -> out.println("  " + failure));
			}
			out.printf(
					"calls=%d calls_per_sec=%d dropped=%d failures=%d heap_growth_mib=%.1f threads_before=%d threads_after=%d%n",
					measured, perSecond, dropped, this.failures.size(), mib(heapAfter - heapBefore), threadsBefore,
					threadsAfter);
			return this.failures.isEmpty();
		}
	}

	private KiteConnection connection(KiteClientFactory factory, FuzzServer server) {
		return factory.create(KiteClientOptions.builder(server.url())
			.transport(Transport.WEBSOCKET)
			.timeout(this.options.timeout())
			.connectTimeout(this.options.timeout())
			.reconnect(false)
			.build());
	}

	/** Starts the slot's next call, unless it was dropped. */
	private void next(Slot slot) {
		int n = (int) (this.calls.sum() % 1000);
		CompletableFuture<Double> call;
		synchronized (slot) {
			if (slot.dropped) {
				return;
			}
			call = slot.connection.method("square").args(n).retrieve(Double.class);
		}
		call.whenComplete((result, failure) -> {
			if (failure == null) {
				if (result == null || result != (double) n * n) {
					this.failures.add("square(" + n + ") answered " + result);
					return;
				}
				this.calls.increment();
				next(slot);
				return;
			}
			Throwable cause = Failures.unwrap(failure);
			String type = (cause instanceof KiteException kite) ? kite.type() : cause.getClass().getName();
			boolean dropped;
			synchronized (slot) {
				dropped = slot.dropped;
			}
			if (!dropped) {
				this.failures.add("a call on a live connection failed: " + type + ": " + cause.getMessage());
			}
			else {
				this.errorsOfDropped.computeIfAbsent(type, (key) -> new LongAdder()).increment();
				if (!"disconnect".equals(type)) {
					this.failures.add("a call on a dropped connection failed with " + type + " instead of disconnect: "
							+ cause.getMessage());
				}
				this.disconnects.increment();
			}
		});
	}

	private void awaitAll(List<CompletableFuture<?>> futures) throws Exception {
		for (CompletableFuture<?> future : futures) {
			future.get(this.options.timeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		futures.clear();
	}

	/** Waits (bounded by the timeout) for the server to see every connection gone. */
	private void awaitSessions(FuzzServer server) throws InterruptedException {
		long deadline = System.nanoTime() + this.options.timeout().toNanos();
		while (server.sessionCount() > 0) {
			if (System.nanoTime() > deadline) {
				this.failures
					.add(server.sessionCount() + " sessions still open on the server after " + this.options.timeout());
				return;
			}
			Thread.sleep(10);
		}
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return usedHeap();
	}

	private static long usedHeap() {
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static int threads() {
		return ManagementFactory.getThreadMXBean().getThreadCount();
	}

	private static double mib(long bytes) {
		return bytes / (1024.0 * 1024.0);
	}

	/** One connection and whether the chaos loop dropped it (guarded by the slot). */
	private static final class Slot {

		private final KiteConnection connection;

		private boolean dropped;

		Slot(KiteConnection connection) {
			this.connection = connection;
		}

		void drop() {
			synchronized (this) {
				this.dropped = true;
			}
			this.connection.close();
		}

	}

}
