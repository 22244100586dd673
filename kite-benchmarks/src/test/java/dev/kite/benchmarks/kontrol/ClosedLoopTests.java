package dev.kite.benchmarks.kontrol;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClosedLoop}. Calls complete on another thread as kite calls do; the
 * windows end on their call budgets or on a failure, so no test waits for its duration
 * (an hour, a bound only).
 */
class ClosedLoopTests {

	private static final Duration HOUR = Duration.ofHours(1);

	private final ExecutorService executor = Executors.newFixedThreadPool(2);

	@AfterEach
	void stop() throws InterruptedException {
		this.executor.shutdownNow();
		this.executor.awaitTermination(10, TimeUnit.SECONDS);
	}

	@Test
	void measuresExactlyTheBudget() throws InterruptedException {
		AtomicInteger started = new AtomicInteger();
		Supplier<CompletableFuture<?>> call = () -> {
			started.incrementAndGet();
			return CompletableFuture.supplyAsync(() -> "ok", this.executor);
		};
		ClosedLoop loop = new ClosedLoop(List.of(call, call, call), Duration.ZERO, HOUR, 100, Duration.ofSeconds(10));
		ClosedLoop.LoopResult result = loop.run();
		assertThat(result.failure()).isNull();
		assertThat(result.latencies().count()).isEqualTo(100);
		assertThat(started.get()).isGreaterThanOrEqualTo((int) result.latencies().count());
		assertThat(result.elapsedNanos()).isPositive();
		assertThat(result.callsPerSecond()).isPositive();
	}

	@Test
	void aFailedCallEndsTheRunAndIsReported() throws InterruptedException {
		AtomicInteger calls = new AtomicInteger();
		Supplier<CompletableFuture<?>> call = () -> CompletableFuture.supplyAsync(() -> {
			if (calls.incrementAndGet() == 50) {
				throw new IllegalStateException("wrong answer");
			}
			return "ok";
		}, this.executor);
		ClosedLoop loop = new ClosedLoop(List.of(call, call), Duration.ZERO, HOUR, 0, Duration.ofSeconds(10));
		ClosedLoop.LoopResult result = loop.run();
		assertThat(result.failure()).hasRootCauseInstanceOf(IllegalStateException.class)
			.hasRootCauseMessage("wrong answer");
		// The run ends once the failed call's completion runs; on a busy machine the
		// other
		// slot may complete more calls before that, so only the lower bound is exact.
		assertThat(calls.get()).isGreaterThanOrEqualTo(50);
	}

}
