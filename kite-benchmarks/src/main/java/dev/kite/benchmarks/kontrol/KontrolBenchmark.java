package dev.kite.benchmarks.kontrol;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.benchmarks.Latencies;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.kontrol.Kontrol;
import dev.kite.kontrol.query.KiteQueries;
import dev.kite.protocol.Auth;
import dev.kite.protocol.GetKitesArgs;
import dev.kite.protocol.GetKitesResult;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KontrolQuery;
import dev.kite.protocol.RegisterArgs;
import dev.kite.protocol.RegisterResult;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteWebSocketLimits;
import dev.kite.rpc.builtin.BuiltinKiteMethods;
import org.HdrHistogram.ConcurrentHistogram;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The {@code kontrol} benchmark, in three phases against one {@link EmbeddedKontrol}:
 * <ol>
 * <li>registration: {@code kites} kites, each with its own identity and so its own
 * connection (Kontrol registers the identity a connection sent first, PROTOCOL §3.1),
 * dial Kontrol with the user's kite key and call {@code register}, {@code connections} of
 * them at a time; Kontrol's {@code kite.heartbeat} request is answered by the client
 * factory's dispatcher (the built-ins), so every kite keeps pinging for the rest of the
 * run. Measured: the time until all are registered (dial and register), and each dial's
 * and each {@code register} call's latency;</li>
 * <li>{@code getKites} for one kite by username, environment and name (a random one per
 * call), in a closed loop from {@code connections} other connections with
 * {@code inFlight} calls each;</li>
 * <li>the same for all kites, by username.</li>
 * </ol>
 * Every answer is checked (one kite, or all of them); a wrong or failed answer fails the
 * run.
 *
 * <p>
 * Kontrol and the kites share the JVM and its cores: the figures are those of a Kontrol
 * whose clients compete with it for the CPU.
 *
 * <p>
 * Threads: {@link #run()} blocks its caller; Kontrol's handlers and the clients'
 * completions run on two separate cached pools, timers on two separate schedulers.
 */
public final class KontrolBenchmark {

	/** The username every registered kite belongs to. */
	static final String KITES_USER = "bench";

	/** Whom the {@code getKites} connections act for. */
	static final String READER_USER = "reader";

	/**
	 * The readers' largest incoming message: room for a {@code getKites} answer listing
	 * every kite (about 0.9 KB of JSON per kite, more once framed by SockJS). Only the
	 * readers get it: Tomcat's WebSocket client allocates buffers of this size for every
	 * connection (about 6 MB of heap per connection at the default 1 MiB, measured with
	 * this benchmark), so the registering kites, which receive only small messages, get
	 * {@link KontrolBenchmarkOptions#kiteMaxMessageSize()}.
	 */
	private static final int READER_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

	private static final Duration CALL_TIMEOUT = KiteClientOptions.DEFAULT_TIMEOUT;

	private final KontrolBenchmarkOptions options;

	/**
	 * @param options what to measure
	 */
	public KontrolBenchmark(KontrolBenchmarkOptions options) {
		this.options = options;
	}

	/**
	 * Starts Kontrol on the chosen store, measures, and stops everything it started.
	 * @return the measurements
	 * @throws Exception when something cannot start, or a phase fails
	 */
	public KontrolBenchmarkResult run() throws Exception {
		ExecutorService kontrolExecutor = Executors.newCachedThreadPool(daemonThreads("kontrol-"));
		ExecutorService clientExecutor = Executors.newCachedThreadPool(daemonThreads("kites-"));
		ThreadPoolTaskScheduler kontrolScheduler = scheduler("kontrol-scheduler-");
		ThreadPoolTaskScheduler clientScheduler = scheduler("kites-scheduler-");
		try (BenchmarkStore store = this.options.store().equals("postgres")
				? BenchmarkStore.postgres(this.options.jdbcUrl(), this.options.poolSize()) : BenchmarkStore.memory()) {
			try (EmbeddedKontrol kontrol = new EmbeddedKontrol(store.kites(), store.keyPairs(), kontrolExecutor,
					kontrolScheduler);
					KiteClientFactory kites = clients(clientExecutor, clientScheduler,
							this.options.kiteMaxMessageSize());
					KiteClientFactory clients = clients(clientExecutor, clientScheduler, READER_MAX_MESSAGE_SIZE)) {
				Registration registration = register(kontrol, store, kites);
				long heapAfterRegistration = heapInUse();
				List<KiteConnection> readers = readers(kontrol, clients);
				ClosedLoop.LoopResult one = getKites(readers, () -> {
					int index = ThreadLocalRandom.current().nextInt(this.options.kites());
					return new KontrolQuery(KITES_USER, KITES_USER, kiteName(index), "", "", "", "");
				}, 1);
				ClosedLoop.LoopResult all = getKites(readers,
						() -> new KontrolQuery(KITES_USER, "", "", "", "", "", ""), this.options.kites());
				int allAnswerSize = answerSize(readers.get(0), clients);
				return new KontrolBenchmarkResult(this.options, store.description(), registration.elapsedNanos,
						registration.dials, registration.registers, heapAfterRegistration, one, all, allAnswerSize);
			}
		}
		finally {
			clientScheduler.shutdown();
			kontrolScheduler.shutdown();
			clientExecutor.shutdownNow();
			kontrolExecutor.shutdownNow();
		}
	}

	private KiteClientFactory clients(ExecutorService executor, ThreadPoolTaskScheduler scheduler, int maxMessageSize) {
		// The kites' side serves the built-ins, kite.heartbeat among them: Kontrol's
		// heartbeat request is answered and the kites ping as Go kites do.
		KiteMethodRegistry registry = new KiteMethodRegistry();
		BuiltinKiteMethods.registerAll(registry, scheduler);
		KiteWebSocketLimits defaults = KiteWebSocketLimits.defaults();
		return KiteClientFactory.builder()
			.executor(executor)
			.taskScheduler(scheduler)
			.dispatcher(new KiteDispatcher(registry, new KiteAuthenticationManager(List.of()), List.of(), List.of(),
					executor, true))
			.limits(new KiteWebSocketLimits(maxMessageSize, defaults.sendTimeLimit(), defaults.sendBufferSizeLimit()))
			.build();
	}

	private Registration register(EmbeddedKontrol embedded, BenchmarkStore store, KiteClientFactory clients)
			throws InterruptedException {
		Kontrol kontrol = embedded.kontrol();
		Auth kiteKey = new Auth(Auth.KITE_KEY, kontrol.issueKiteKey(KITES_USER));
		ConcurrentHistogram dials = Latencies.newHistogram();
		ConcurrentHistogram registers = Latencies.newHistogram();
		AtomicInteger nextKite = new AtomicInteger();
		AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
		int workers = Math.min(this.options.connections(), this.options.kites());
		CountDownLatch done = new CountDownLatch(workers);
		List<Kite> registered = new ArrayList<>();
		for (int i = 0; i < this.options.kites(); i++) {
			registered.add(new Kite(kiteName(i), KITES_USER, UUID.randomUUID().toString(), KITES_USER, "local", "1.0.0",
					"bench-host"));
		}
		long start = System.nanoTime();
		for (int i = 0; i < workers; i++) {
			registerNext(embedded.url(), clients, kiteKey, registered, nextKite, dials, registers, failure, done);
		}
		// Each registration is bounded by its dial and call timeouts; this bounds them
		// all.
		Duration bound = CALL_TIMEOUT.multipliedBy(2L * this.options.kites());
		if (!done.await(bound.toNanos(), TimeUnit.NANOSECONDS)) {
			throw new IllegalStateException("Registrations still running after " + bound);
		}
		long elapsed = System.nanoTime() - start;
		Throwable failed = failure.get();
		if (failed != null) {
			throw new IllegalStateException("A registration failed", failed);
		}
		// Registered means stored and kept alive by heartbeats: check both.
		int stored = KiteQueries.find(store.kites(), new KontrolQuery(KITES_USER, "", "", "", "", "", "")).size();
		if (stored != this.options.kites()) {
			throw new IllegalStateException(
					"Kontrol stores " + stored + " kites after " + this.options.kites() + " registrations");
		}
		for (Kite kite : registered) {
			if (!kontrol.isHeartbeatActive(kite.id())) {
				throw new IllegalStateException("No heartbeat registration for " + kite);
			}
		}
		return new Registration(elapsed, Latencies.of(dials), Latencies.of(registers));
	}

	private void registerNext(String url, KiteClientFactory clients, Auth kiteKey, List<Kite> kites,
			AtomicInteger nextKite, ConcurrentHistogram dials, ConcurrentHistogram registers,
			AtomicReference<@Nullable Throwable> failure, CountDownLatch done) {
		int index = nextKite.getAndIncrement();
		if (index >= kites.size() || failure.get() != null) {
			done.countDown();
			return;
		}
		Kite kite = kites.get(index);
		KiteConnection connection = clients.create(KiteClientOptions.builder(url)
			.transport(this.options.transport())
			.kite(kite)
			.auth(kiteKey)
			.reconnect(false)
			.build());
		long dialStart = System.nanoTime();
		connection.connect().thenCompose((connected) -> {
			long registerStart = System.nanoTime();
			Latencies.record(dials, registerStart - dialStart);
			return connection.method("register")
				.args(RegisterArgs.of(registeredUrl(index)))
				.retrieve(RegisterResult.class)
				.thenApply((result) -> {
					Latencies.record(registers, System.nanoTime() - registerStart);
					return result;
				});
		}).whenComplete((result, ex) -> {
			if (ex != null) {
				failure.compareAndSet(null, ex);
			}
			registerNext(url, clients, kiteKey, kites, nextKite, dials, registers, failure, done);
		});
	}

	private List<KiteConnection> readers(EmbeddedKontrol embedded, KiteClientFactory clients) throws Exception {
		Auth kiteKey = new Auth(Auth.KITE_KEY, embedded.kontrol().issueKiteKey(READER_USER));
		List<KiteConnection> readers = new ArrayList<>();
		for (int i = 0; i < this.options.connections(); i++) {
			Kite reader = new Kite("bench-reader", READER_USER, UUID.randomUUID().toString(), KITES_USER, "local",
					"1.0.0", "bench-host");
			KiteConnection connection = clients.create(KiteClientOptions.builder(embedded.url())
				.transport(this.options.transport())
				.kite(reader)
				.auth(kiteKey)
				.reconnect(false)
				.build());
			connection.connect().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			readers.add(connection);
		}
		return readers;
	}

	private ClosedLoop.LoopResult getKites(List<KiteConnection> readers, Supplier<KontrolQuery> queries, int expected)
			throws InterruptedException {
		List<Supplier<CompletableFuture<?>>> slots = new ArrayList<>();
		for (KiteConnection reader : readers) {
			for (int i = 0; i < this.options.inFlight(); i++) {
				slots.add(() -> {
					KontrolQuery query = queries.get();
					return reader.method("getKites")
						.args(GetKitesArgs.of(query))
						.retrieve(GetKitesResult.class)
						.thenApply((result) -> check(query, result, expected));
				});
			}
		}
		ClosedLoop loop = new ClosedLoop(slots, this.options.warmup(), this.options.duration(), this.options.calls(),
				CALL_TIMEOUT.plusSeconds(5));
		return loop.run();
	}

	private static GetKitesResult check(KontrolQuery query, @Nullable GetKitesResult result, int expected) {
		if (result == null) {
			throw new IllegalStateException("getKites " + query + " answered null");
		}
		if (result.kites().size() != expected) {
			throw new IllegalStateException(
					"getKites " + query + " found " + result.kites().size() + " kites, not " + expected);
		}
		if (!query.name().isEmpty() && !result.kites().get(0).kite().name().equals(query.name())) {
			throw new IllegalStateException("getKites " + query + " found " + result.kites().get(0).kite());
		}
		return result;
	}

	/** The size, in characters of JSON, of the answer listing every kite. */
	private int answerSize(KiteConnection reader, KiteClientFactory clients) throws Exception {
		GetKitesResult result = reader.method("getKites")
			.args(GetKitesArgs.of(new KontrolQuery(KITES_USER, "", "", "", "", "", "")))
			.retrieve(GetKitesResult.class)
			.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		return clients.objectMapper().writeValueAsString(result).length();
	}

	/**
	 * Heap in use after a full collection: what the registered kites and Kontrol hold.
	 */
	private static long heapInUse() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		memory.gc();
		return memory.getHeapMemoryUsage().getUsed();
	}

	static String kiteName(int index) {
		return String.format("kite-%05d", index);
	}

	/** Where kite {@code index} says it is served; never dialed. */
	private static String registeredUrl(int index) {
		return "http://10.0." + (index / 250) + "." + (index % 250 + 1) + ":6000/kite";
	}

	private static ThreadPoolTaskScheduler scheduler(String prefix) {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(2);
		scheduler.setThreadNamePrefix(prefix);
		scheduler.setDaemon(true);
		// Every call schedules a timeout that its answer cancels.
		scheduler.setRemoveOnCancelPolicy(true);
		scheduler.initialize();
		return scheduler;
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private record Registration(long elapsedNanos, Latencies dials, Latencies registers) {
	}

}
