package dev.kite.benchmarks.fuzz;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import tools.jackson.databind.JsonNode;

/**
 * Sends {@link HostileFrames} to a {@link FuzzServer} over real connections and checks
 * what the issue asks of the server:
 * <ul>
 * <li>each frame is answered exactly once or dropped, as {@link HostileFrames} says, and
 * nothing else comes back;</li>
 * <li>no fuzzing connection is closed by the server, while each oversized frame closes
 * its own connection with 1009;</li>
 * <li>a bystander connection gets every answer within the timeout throughout;</li>
 * <li>nothing escapes the handler: no {@code ERROR} and no stack trace in the log
 * ({@link LogWatch});</li>
 * <li>the heap stays flat: in use after a full GC, once the connections are closed, at
 * most the margin above what it was after a warm-up, and the server's sessions back to
 * the bystander's alone.</li>
 * </ul>
 * Several connections send at once, each pipelining up to {@code inFlight} calls that
 * must be answered (dropped frames are not waited for: the final call each connection
 * makes is answered after all of them were decoded, since a session decodes in order).
 *
 * <p>
 * Threads: {@link #run} blocks its caller; one sending thread per connection, one for the
 * bystander; replies arrive on the HTTP client's threads.
 */
public final class Fuzzer {

	/** The callback id of each connection's last, synchronising call. */
	private static final long SYNC_ID = 1L << 50;

	private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

	/**
	 * What to run.
	 *
	 * @param frames hostile frames to send (measured)
	 * @param connections connections sending at once
	 * @param inFlight answerable frames outstanding per connection
	 * @param seed the frames' seed (connection {@code i} uses {@code seed + i × γ})
	 * @param timeout bounds every wait: a write, a reply, the bystander's answers
	 * @param heapMarginBytes how much more heap after the run than before still counts as
	 * flat
	 */
	public record Options(long frames, int connections, int inFlight, long seed, Duration timeout,
			long heapMarginBytes) {
	}

	private final FuzzServer server;

	private final Options options;

	private final List<String> failures = new CopyOnWriteArrayList<>();

	private final Map<String, LongAdder> kinds = new ConcurrentHashMap<>();

	private final LongAdder answered = new LongAdder();

	private final LongAdder dropped = new LongAdder();

	/**
	 * @param server the server to fuzz
	 * @param options what to run
	 */
	public Fuzzer(FuzzServer server, Options options) {
		this.server = server;
		this.options = options;
	}

	/**
	 * Runs a warm-up (a twentieth of the frames, at most 5,000, from another seed),
	 * measures the heap, runs the frames, and checks everything.
	 * @return the report
	 * @throws Exception when the fuzz cannot be set up
	 */
	public FuzzReport run() throws Exception {
		// Java 17's client cannot be closed: its threads are ours to stop.
		ExecutorService clientThreads = Executors.newCachedThreadPool();
		HttpClient client = HttpClient.newBuilder().executor(clientThreads).build();
		try (LogWatch log = LogWatch.install()) {
			long warmup = Math.min(this.options.frames() / 20, 5_000);
			phase(client, warmup, ~this.options.seed());
			// Failures of the warm-up stay; its counts do not.
			this.answered.reset();
			this.dropped.reset();
			this.kinds.clear();
			awaitSessions(0);
			long heapBefore = usedHeapAfterGc();
			int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
			long start = System.nanoTime();

			AtomicBoolean stop = new AtomicBoolean();
			AtomicLong bystanderCalls = new AtomicLong();
			AtomicLong bystanderMax = new AtomicLong();
			ExecutorService bystanderThread = Executors.newSingleThreadExecutor();
			Future<?> bystander;
			try (FuzzConnection connection = FuzzConnection.open(client, this.server.rawWebSocketUrl(),
					this.options.timeout(), null)) {
				bystander = bystanderThread.submit(() -> bystander(connection, stop, bystanderCalls, bystanderMax));
				long oversized = phase(client, this.options.frames(), this.options.seed());
				stop.set(true);
				bystander.get(this.options.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
				if (connection.closed().isDone()) {
					this.failures.add("the bystander's connection was closed: " + connection.closed().getNow(0));
				}
				Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
				connection.close();
				awaitSessions(0);
				long heapAfter = usedHeapAfterGc();
				if (heapAfter - heapBefore > this.options.heapMarginBytes()) {
					this.failures.add(String.format("heap grew by %.1f MiB (margin %.1f MiB)",
							FuzzReport.mib(heapAfter - heapBefore), FuzzReport.mib(this.options.heapMarginBytes())));
				}
				if (log.escapes() > 0) {
					this.failures.add(log.escapes() + " log event(s) were errors or had a stack trace; the first:");
					log.keptEscapes().forEach(this.failures::add);
				}
				Map<String, Long> kinds = new TreeMap<>();
				this.kinds.forEach((kind, count) -> kinds.put(kind, count.sum()));
				return new FuzzReport(this.options.seed(), this.options.frames() + oversized, this.answered.sum(),
						this.dropped.sum(), oversized, kinds, elapsed, bystanderCalls.get(), bystanderMax.get(),
						log.warnings(), log.warningSamples(), heapBefore, heapAfter, threadsBefore,
						ManagementFactory.getThreadMXBean().getThreadCount(), List.copyOf(this.failures));
			}
			finally {
				stop.set(true);
				bystanderThread.shutdownNow();
			}
		}
		finally {
			clientThreads.shutdownNow();
		}
	}

	/**
	 * Sends {@code frames} frames over fresh connections, and now and then an oversized
	 * frame on a connection of its own.
	 * @return the oversized frames sent
	 */
	private long phase(HttpClient client, long frames, long seed) throws Exception {
		int connections = this.options.connections();
		ExecutorService senders = Executors.newFixedThreadPool(connections);
		try {
			List<Future<?>> sent = new ArrayList<>();
			for (int i = 0; i < connections; i++) {
				long share = frames / connections + ((i < frames % connections) ? 1 : 0);
				long connectionSeed = seed + i * GOLDEN_GAMMA;
				int index = i;
				sent.add(senders.submit(() -> {
					fuzzOne(client, index, connectionSeed, share);
					return null;
				}));
			}
			long oversized = 0;
			for (long i = Math.max(1, frames / 25_000); i > 0; i--) {
				oversized(client);
				oversized++;
			}
			for (Future<?> future : sent) {
				future.get();
			}
			return oversized;
		}
		finally {
			senders.shutdownNow();
		}
	}

	private void fuzzOne(HttpClient client, int index, long seed, long frames) throws Exception {
		Duration timeout = this.options.timeout();
		Semaphore permits = new Semaphore(this.options.inFlight());
		HostileFrames generator = new HostileFrames(seed);
		BitSet expected = new BitSet();
		String where = "connection " + index + " (seed " + seed + ")";
		long droppedFrames = 0;
		Deque<HostileFrames.Frame> recent = new ArrayDeque<>();
		try (FuzzConnection connection = FuzzConnection.open(client, this.server.rawWebSocketUrl(), timeout,
				permits::release)) {
			for (long i = 0; i < frames; i++) {
				HostileFrames.Frame frame = generator.next();
				this.kinds.computeIfAbsent(frame.kind(), (kind) -> new LongAdder()).increment();
				if (frame.expect() == HostileFrames.Expect.DROPPED) {
					droppedFrames++;
				}
				else {
					if (!permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
						this.failures.add(where + ": no reply within " + timeout + " to any of the calls in flight");
						return;
					}
					expected.set(Math.toIntExact(frame.callbackId()));
				}
				recent.addLast(frame);
				if (recent.size() > 3) {
					recent.removeFirst();
				}
				try {
					if (connection.closed().isDone()) {
						throw new IllegalStateException("closed");
					}
					connection.gave(frame.functions());
					connection.send(frame.text(), timeout);
				}
				catch (Exception ex) {
					this.failures.add(where + ": frame " + i + " could not be sent (" + ex + "); close code "
							+ connection.closed().getNow(null) + "; what came back: " + connection.unexpected()
							+ "; the last frames sent:");
					recent.forEach((sent) -> this.failures
						.add("  (" + sent.kind() + ") " + FuzzReport.abbreviate(sent.text())));
					return;
				}
			}
			// Its reply releases a permit too, which the count below must not take for a
			// late reply to an earlier frame.
			if (!permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.failures.add(where + ": no reply within " + timeout + " to any of the calls in flight");
				return;
			}
			JsonNode sync = connection.awaitSquare(SYNC_ID, 3, timeout);
			if (!sync.path("error").isNull() || sync.path("result").asDouble() != 9) {
				this.failures.add(where + ": the final call got " + sync);
			}
			if (!permits.tryAcquire(this.options.inFlight(), timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.failures.add(where + ": calls still unanswered after " + timeout);
			}
			check(connection, expected, seed, where);
			this.dropped.add(droppedFrames);
		}
	}

	private void check(FuzzConnection connection, BitSet expected, long seed, String where) {
		List<Long> wrong = new ArrayList<>();
		for (int id = expected.nextSetBit(0); id >= 0; id = expected.nextSetBit(id + 1)) {
			int replies = connection.replies(id);
			if (replies == 1) {
				this.answered.increment();
			}
			else {
				wrong.add((long) id);
				this.failures.add(where + ": callback " + id + " answered " + replies + " times instead of once");
			}
		}
		connection.allReplies().forEach((id, count) -> {
			if (id != SYNC_ID && (id < 0 || id > Integer.MAX_VALUE || !expected.get(id.intValue()))) {
				wrong.add(id);
				this.failures.add(where + ": " + count + " reply(ies) to callback " + id + ", a frame to be dropped");
			}
		});
		connection.unexpected().forEach((text) -> this.failures.add(where + ": " + text));
		if (connection.closed().isDone()) {
			this.failures.add(where + ": closed by the server (" + connection.closed().getNow(0) + ")");
		}
		// The frames themselves, regenerated from the seed: the first few are enough.
		HostileFrames again = new HostileFrames(seed);
		int shown = 0;
		long last = wrong.stream().mapToLong(Long::longValue).max().orElse(-1);
		for (long i = 0; shown < 5 && !wrong.isEmpty(); i++) {
			HostileFrames.Frame frame = again.next();
			if (wrong.contains(frame.callbackId())) {
				this.failures.add("  frame " + i + " (" + frame.kind() + "): " + FuzzReport.abbreviate(frame.text()));
				shown++;
			}
			if (frame.callbackId() >= last) {
				break;
			}
		}
	}

	/** One message over the limit closes its connection with 1009 (message too big). */
	private void oversized(HttpClient client) throws Exception {
		Duration timeout = this.options.timeout();
		try (FuzzConnection connection = FuzzConnection.open(client, this.server.rawWebSocketUrl(), timeout, null)) {
			String call = HostileFrames.squareCall(0, 3);
			String padded = call.replace("\"fuzz\"", "\"" + "x".repeat(this.server.maxMessageSize() + 1) + "\"");
			connection.send(padded, timeout);
			int code = connection.closed().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (code != 1009) {
				this.failures.add("an oversized frame closed its connection with " + code + " instead of 1009");
			}
			if (connection.replies(0) != 0) {
				this.failures.add("an oversized frame was answered");
			}
		}
	}

	private void bystander(FuzzConnection connection, AtomicBoolean stop, AtomicLong calls, AtomicLong slowest) {
		long id = 0;
		while (!stop.get()) {
			int n = (int) (id % 1000);
			long start = System.nanoTime();
			try {
				JsonNode reply = connection.awaitSquare(id++, n, this.options.timeout());
				if (!reply.path("error").isNull() || reply.path("result").asDouble() != (double) n * n) {
					this.failures.add("the bystander's square(" + n + ") got " + reply);
					return;
				}
			}
			catch (Exception ex) {
				this.failures.add("the bystander got no answer within " + this.options.timeout() + ": " + ex);
				return;
			}
			calls.incrementAndGet();
			slowest.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
		}
	}

	/**
	 * Waits (bounded by the timeout) for the server's sessions to come down to a count.
	 */
	private void awaitSessions(int count) throws InterruptedException {
		long deadline = System.nanoTime() + this.options.timeout().toNanos();
		while (this.server.sessionCount() != count) {
			if (System.nanoTime() > deadline) {
				this.failures.add("the server still has " + this.server.sessionCount() + " sessions instead of " + count
						+ " after " + this.options.timeout());
				return;
			}
			Thread.sleep(10);
		}
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

}
