package dev.kite.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.kite.rpc.KiteMethodRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A quick loop of {@code square} calls of our client against our server, on one machine.
 * Not part of the normal run:
 * {@code ./mvnw -pl kite-core test -Dtest=ClientThroughputBenchmark -Dkite.bench=true}.
 * Prints calls/s and latency percentiles per transport.
 */
@EnabledIfSystemProperty(named = "kite.bench", matches = "true")
class ClientThroughputBenchmark {

	private static final int CONNECTIONS = 4;

	private static final int IN_FLIGHT = 8;

	private static final Duration WARMUP = Duration.ofSeconds(3);

	private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("kite.bench.seconds", 5));

	@Test
	void squareCalls() throws Exception {
		KiteMethodRegistry methods = TestKiteServer.registry();
		TestKiteServer.method(methods, "square", (inv) -> {
			double n = inv.argument(0).asDouble();
			return n * n;
		});
		try (TestKiteServer server = TestKiteServer.start(methods);
				KiteClientFactory factory = KiteClientFactory.builder().build()) {
			List<Transport> transports = Arrays
				.stream(System.getProperty("kite.bench.transports", "WEBSOCKET,RAW_WEBSOCKET,XHR_POLLING").split(","))
				.map(Transport::valueOf)
				.toList();
			for (Transport transport : transports) {
				List<KiteConnection> clients = new ArrayList<>();
				for (int i = 0; i < CONNECTIONS; i++) {
					KiteConnection client = factory
						.create(KiteClientOptions.builder(server.url()).transport(transport).build());
					client.connect().get(10, TimeUnit.SECONDS);
					clients.add(client);
				}
				run(clients, WARMUP, null);
				ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
				long count = run(clients, MEASURE, latencies);
				long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter((v) -> v > 0).sorted().toArray();
				System.out.printf("BENCH %s: %d connections x %d in flight: %.0f calls/s, p50 %.2f ms, p99 %.2f ms%n",
						transport, CONNECTIONS, IN_FLIGHT, count / (MEASURE.toMillis() / 1000.0),
						all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6);
				assertThat(count).isPositive();
				clients.forEach(KiteConnection::close);
			}
		}
	}

	/**
	 * Keeps IN_FLIGHT calls going on every client until the duration is over; returns
	 * completed calls.
	 */
	private static long run(List<KiteConnection> clients, Duration duration, ConcurrentLinkedQueue<long[]> latencies)
			throws Exception {
		AtomicLong done = new AtomicLong();
		long end = System.nanoTime() + duration.toNanos();
		List<CompletableFuture<Void>> loops = new ArrayList<>();
		for (KiteConnection client : clients) {
			for (int i = 0; i < IN_FLIGHT; i++) {
				long[] samples = new long[1 << 20];
				if (latencies != null) {
					latencies.add(samples);
				}
				CompletableFuture<Void> loop = new CompletableFuture<>();
				next(client, end, done, loop, samples, new int[1]);
				loops.add(loop);
			}
		}
		CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new))
			.get(duration.toSeconds() + 30, TimeUnit.SECONDS);
		return done.get();
	}

	private static void next(KiteConnection client, long end, AtomicLong done, CompletableFuture<Void> loop,
			long[] samples, int[] index) {
		if (System.nanoTime() >= end) {
			loop.complete(null);
			return;
		}
		long start = System.nanoTime();
		client.call("square", 4).whenComplete((result, failure) -> {
			if (failure != null) {
				loop.completeExceptionally(failure);
				return;
			}
			if (index[0] < samples.length) {
				samples[index[0]++] = System.nanoTime() - start;
			}
			done.incrementAndGet();
			next(client, end, done, loop, samples, index);
		});
	}

}
