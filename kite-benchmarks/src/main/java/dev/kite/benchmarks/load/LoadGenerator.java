package dev.kite.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import dev.kite.benchmarks.Latencies;
import org.HdrHistogram.Histogram;

/**
 * The lean closed-loop load generator: {@code C} connections ({@link LoadConnection}) of
 * {@code N} slots each, pre-encoded frames, replies matched by callback id. Warm-up, then
 * the measured window (ended by the duration, the call budget, or a lost connection or
 * timed-out call), then the calls in flight drain (bounded by the call timeout).
 *
 * <p>
 * Threads: {@link #run} blocks its caller; one timer thread gives up calls older than the
 * timeout; every connection's I/O (WebSocket and XHR) runs on one {@link IoLoop} thread.
 */
public final class LoadGenerator {

	private static final long TIMER_PERIOD_MILLIS = 50;

	/**
	 * The most {@code xhr_send} requests an XHR connection has outstanding at once, each
	 * on its own keep-alive socket; the calls queued meanwhile leave together in the next
	 * one.
	 */
	static final int XHR_SENDERS = Integer.getInteger("kite.benchmarks.xhr-senders", 1);

	/**
	 * The least time a dial may take: a short call timeout must not fail the handshakes
	 * of a busy machine.
	 */
	private static final Duration MIN_DIAL_TIMEOUT = Duration.ofSeconds(10);

	private final LoadOptions options;

	private final LongSupplier serverCpuNanos;

	/**
	 * @param options what to run
	 * @param serverCpuNanos the server process's CPU time so far, or -1 when unknown
	 * (sampled at the window's start and end)
	 */
	public LoadGenerator(LoadOptions options, LongSupplier serverCpuNanos) {
		this.options = options;
		this.serverCpuNanos = serverCpuNanos;
	}

	/**
	 * This process's CPU time.
	 * @return nanoseconds, or -1 when the JVM cannot tell
	 */
	public static long processCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return -1;
	}

	/**
	 * Another process's CPU time, from the OS.
	 * @param pid the process
	 * @return nanoseconds, or -1 when unknown
	 */
	public static long processCpuNanos(long pid) {
		return ProcessHandle.of(pid)
			.flatMap((process) -> process.info().totalCpuDuration())
			.map((cpu) -> cpu.toNanos())
			.orElse(-1L);
	}

	/**
	 * Runs the load.
	 * @return what it measured
	 * @throws Exception when a connection cannot be opened
	 */
	public LoadResult run() throws Exception {
		LoadOptions options = this.options;
		IoLoop loop = new IoLoop();
		LoadRun run = new LoadRun(options.calls());
		List<LoadConnection> connections = new ArrayList<>();
		ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "load-timeout");
			thread.setDaemon(true);
			return thread;
		});
		try {
			for (int i = 0; i < options.connections(); i++) {
				connections.add(open(loop, run));
			}
			long timeoutNanos = options.timeout().toNanos();
			timer.scheduleAtFixedRate(() -> {
				long now = System.nanoTime();
				for (LoadConnection connection : connections) {
					connection.checkRequests();
					if (connection.expire(now, timeoutNanos)) {
						run.abort("a call was not answered within " + options.timeout().toMillis() + " ms");
					}
				}
			}, TIMER_PERIOD_MILLIS, TIMER_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
			connections.forEach(LoadConnection::start);
			if (!options.warmup().isZero()) {
				run.awaitEnd(options.warmup().toNanos());
			}
			long cpuBefore = processCpuNanos();
			long serverBefore = this.serverCpuNanos.getAsLong();
			long start = System.nanoTime();
			run.openWindow(start);
			run.awaitEnd(options.duration().toNanos());
			long end = run.closeWindow(System.nanoTime());
			long cpuAfter = processCpuNanos();
			long serverAfter = this.serverCpuNanos.getAsLong();
			run.stop();
			long drainDeadline = System.nanoTime() + timeoutNanos;
			while (run.inFlight() > 0 && System.nanoTime() < drainDeadline) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
			Histogram total = new Histogram(1, Latencies.MAX_RECORDABLE_NANOS, 3);
			connections.forEach((connection) -> connection.addTo(total));
			long serverCpu = (serverBefore >= 0 && serverAfter >= 0) ? serverAfter - serverBefore : -1;
			return new LoadResult(Latencies.of(total), end - start, run.errors(), cpuAfter - cpuBefore, serverCpu,
					run.abortReason());
		}
		finally {
			timer.shutdownNow();
			connections.forEach(LoadConnection::close);
			loop.close();
		}
	}

	private LoadConnection open(IoLoop loop, LoadRun run) throws Exception {
		LoadOptions options = this.options;
		String kite = KiteFrames.kite();
		String authentication = (options.authType() != null && options.authKey() != null)
				? KiteFrames.authentication(options.authType(), options.authKey()) : null;
		String[] requests = new String[options.inFlight()];
		for (int slot = 0; slot < requests.length; slot++) {
			requests[slot] = KiteFrames.request(options.method(), options.args(), kite, authentication, slot);
		}
		String base = options.url().toString();
		String webSocketBase = (base.startsWith("https:") ? "wss:" : "ws:") + base.substring(base.indexOf(':') + 1);
		return switch (options.transport()) {
			case "websocket" -> WebSocketLoadConnection.open(loop, URI.create(webSocketBase + "/websocket"), run,
					utf8(requests, false), false, dialTimeout());
			case "xhr" -> {
				byte[][] quoted = new byte[requests.length][];
				for (int slot = 0; slot < quoted.length; slot++) {
					quoted[slot] = KiteFrames.quote(requests[slot]).getBytes(StandardCharsets.UTF_8);
				}
				yield XhrLoadConnection.open(loop, URI.create(base + "/" + sessionPath()), run, quoted, XHR_SENDERS,
						dialTimeout());
			}
			default ->
				WebSocketLoadConnection.open(loop, URI.create(webSocketBase + "/" + sessionPath() + "/websocket"), run,
						utf8(requests, true), true, dialTimeout());
		};
	}

	/**
	 * Each slot's WebSocket message, encoded once.
	 * @param requests the dnode messages
	 * @param sockJs whether to frame each as SockJS sends it, a JSON array of one string
	 * @return the UTF-8 payloads
	 */
	private static byte[][] utf8(String[] requests, boolean sockJs) {
		byte[][] payloads = new byte[requests.length][];
		for (int slot = 0; slot < requests.length; slot++) {
			String message = sockJs ? "[" + KiteFrames.quote(requests[slot]) + "]" : requests[slot];
			payloads[slot] = message.getBytes(StandardCharsets.UTF_8);
		}
		return payloads;
	}

	private Duration dialTimeout() {
		return (this.options.timeout().compareTo(MIN_DIAL_TIMEOUT) > 0) ? this.options.timeout() : MIN_DIAL_TIMEOUT;
	}

	/** {@code <server>/<session>}: SockJS's random ids. */
	private static String sessionPath() {
		return ThreadLocalRandom.current().nextInt(1000) + "/" + UUID.randomUUID().toString().replace("-", "");
	}

}
