package dev.kite.benchmarks.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.benchmarks.Latencies;
import dev.kite.benchmarks.LoopbackTomcat;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.client.Transport;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteWebSocketLimits;
import dev.kite.server.websocket.KiteEndpointRegistrar;
import dev.kite.server.websocket.KiteEndpointSettings;
import dev.kite.server.websocket.KiteWebSocketHandler;
import org.HdrHistogram.ConcurrentHistogram;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;

/**
 * Our client against our server, in one JVM: a kite serving {@code square} on embedded
 * Tomcat (the production {@link KiteEndpointRegistrar}, SockJS and raw WebSocket) at a
 * loopback ephemeral port, and {@code connections} client connections of one
 * {@link KiteClientFactory}, each keeping {@code in-flight} calls outstanding in a closed
 * loop ({@code padding}: a string argument of that many characters sent along). Prints
 * calls/s, the latency percentiles of the measured window, and the process's CPU time per
 * call (client and server together: a figure other work on a shared machine disturbs far
 * less than calls/s).
 *
 * <pre class="code">
 * ./mvnw -B -pl kite-benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp kite-benchmarks/target/classes:$(cat kite-benchmarks/target/cp.txt) \
 *     dev.kite.benchmarks.client.ClientBenchmark \
 *     websocket|raw_websocket [connections=1] [in-flight=1] [seconds=10] [warmup-seconds=5] [padding=0]
 * </pre>
 *
 * <p>
 * Threads: {@link #main} blocks (every wait bounded); each call's completion starts that
 * slot's next call on the thread that completed it.
 */
public final class ClientBenchmark {

	private ClientBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Transport transport = Transport.valueOf(args[0].toUpperCase(Locale.ROOT));
		int connections = (args.length > 1) ? Integer.parseInt(args[1]) : 1;
		int inFlight = (args.length > 2) ? Integer.parseInt(args[2]) : 1;
		int seconds = (args.length > 3) ? Integer.parseInt(args[3]) : 10;
		int warmup = (args.length > 4) ? Integer.parseInt(args[4]) : 5;
		int padding = (args.length > 5) ? Integer.parseInt(args[5]) : 0;
		java.util.logging.Logger.getLogger("org.apache").setLevel(java.util.logging.Level.WARNING);
		ExecutorService serverExecutor = Executors.newCachedThreadPool();
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setDaemon(true);
		scheduler.initialize();
		KiteMethodRegistry registry = new KiteMethodRegistry();
		registry.register(new KiteMethodDefinition("square", (invocation) -> {
			double x = invocation.arguments().get(0).asDouble();
			return x * x;
		}, false, "benchmark"));
		registry.register(new KiteMethodDefinition("padded.square", (invocation) -> {
			double x = invocation.arguments().get(0).asDouble();
			return x * x;
		}, false, "benchmark"));
		KiteDispatcher dispatcher = new KiteDispatcher(registry, new KiteAuthenticationManager(List.of()), List.of(),
				List.of(), serverExecutor, false);
		KiteWebSocketHandler handler = new KiteWebSocketHandler(dispatcher, KiteClientFactory.defaultObjectMapper(),
				serverExecutor, KiteWebSocketLimits.defaults());
		KiteEndpointRegistrar endpoint = new KiteEndpointRegistrar(handler, KiteEndpointSettings.builder().build(),
				scheduler, List.of());
		AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();
		context.addBeanFactoryPostProcessor(
				(beanFactory) -> ((BeanDefinitionRegistry) beanFactory).registerBeanDefinition("kiteEndpoint",
						BeanDefinitionBuilder
							.genericBeanDefinition(WebSocketHandlerMapping.class, endpoint::handlerMapping)
							.getBeanDefinition()));
		LoopbackTomcat server = LoopbackTomcat.start("client", context);
		String url = "http://127.0.0.1:" + server.port() + "/kite";
		int exit = 0;
		try (KiteClientFactory factory = KiteClientFactory.builder().build()) {
			List<KiteConnection> clients = new ArrayList<>();
			for (int i = 0; i < connections; i++) {
				KiteConnection client = factory.create(KiteClientOptions.builder(url).transport(transport).build());
				client.connect().get(10, TimeUnit.SECONDS);
				clients.add(client);
			}
			Result result = run(clients, inFlight, padding, Duration.ofSeconds(warmup), Duration.ofSeconds(seconds));
			Latencies latencies = Latencies.of(result.histogram);
			System.out.printf(Locale.ROOT,
					"transport=%s connections=%d in_flight=%d calls=%d calls_per_sec=%.0f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d cpu_us_per_call=%.1f%n",
					transport.name().toLowerCase(Locale.ROOT), connections, inFlight, latencies.count(),
					latencies.count() / (double) seconds, latencies.p50(), latencies.p90(), latencies.p99(),
					latencies.p999(), latencies.max(), result.cpuNanos / 1000.0 / Math.max(1, latencies.count()));
			if (result.failure != null) {
				System.out.println("failed: " + result.failure);
				exit = 1;
			}
		}
		finally {
			server.close();
			scheduler.shutdown();
			serverExecutor.shutdown();
		}
		System.exit(exit);
	}

	/**
	 * CPU time of the whole process (client and server): per call, a figure that other
	 * work on a shared machine disturbs far less than calls/s.
	 */
	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
			.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	private record Result(ConcurrentHistogram histogram, long cpuNanos, @Nullable Throwable failure) {
	}

	private static Result run(List<KiteConnection> clients, int inFlight, int padding, Duration warmup,
			Duration duration) throws InterruptedException {
		ConcurrentHistogram histogram = new ConcurrentHistogram(Latencies.MAX_RECORDABLE_NANOS, 3);
		AtomicBoolean measuring = new AtomicBoolean();
		AtomicBoolean stopping = new AtomicBoolean();
		AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
		AtomicLong running = new AtomicLong();
		for (KiteConnection client : clients) {
			for (int i = 0; i < inFlight; i++) {
				running.incrementAndGet();
				new Slot(client, padding, histogram, measuring, stopping, failure, running).next();
			}
		}
		Thread.sleep(warmup.toMillis());
		long cpuBefore = processCpuNanos();
		measuring.set(true);
		Thread.sleep(duration.toMillis());
		measuring.set(false);
		long cpuNanos = processCpuNanos() - cpuBefore;
		stopping.set(true);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (running.get() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		return new Result(histogram, cpuNanos, failure.get());
	}

	private record Slot(KiteConnection client, int padding, ConcurrentHistogram histogram, AtomicBoolean measuring,
			AtomicBoolean stopping, AtomicReference<@Nullable Throwable> failure, AtomicLong running) {

		void next() {
			if (this.stopping.get() || this.failure.get() != null) {
				this.running.decrementAndGet();
				return;
			}
			boolean measured = this.measuring.get();
			long start = System.nanoTime();
			CompletableFuture<Double> call = (this.padding > 0)
					? this.client.method("padded.square").args(3, "x".repeat(this.padding)).retrieve(Double.class)
					: this.client.method("square").args(3).retrieve(Double.class);
			call.whenComplete((value, error) -> {
				long nanos = System.nanoTime() - start;
				if (error != null || value == null || value != 9.0) {
					this.failure.compareAndSet(null, (error != null) ? error : new IllegalStateException("" + value));
				}
				else if (measured && this.measuring.get()) {
					Latencies.record(this.histogram, nanos);
				}
				next();
			});
		}

	}

}
