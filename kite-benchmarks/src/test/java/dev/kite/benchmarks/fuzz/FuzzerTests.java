package dev.kite.benchmarks.fuzz;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fuzz of the normal build: 100,000 hostile frames over four pipelining connections
 * against our endpoint, with a bystander, the log watched and the heap measured (see
 * {@link Fuzzer} for every check). The seed changes with every run and is in the failure
 * message; {@code -Dkite.fuzz.seed=N} replays one.
 */
class FuzzerTests {

	@Test
	void hostileFramesAreAnsweredOrDroppedAndHurtNobody() throws Exception {
		String fixed = System.getProperty("kite.fuzz.seed");
		long seed = (fixed != null) ? Long.parseLong(fixed) : System.nanoTime();
		try (FuzzServer server = new FuzzServer()) {
			FuzzReport report = new Fuzzer(server,
					new Fuzzer.Options(100_000, 4, 32, seed, Duration.ofSeconds(20), 64L * 1024 * 1024))
				.run();
			report.print(System.out);
			assertThat(report.failures()).as("failures of seed %d", seed).isEmpty();
			assertThat(report.frames()).isGreaterThanOrEqualTo(100_000);
			assertThat(report.answered()).as("answered").isGreaterThan(40_000);
			assertThat(report.dropped()).as("dropped").isGreaterThan(30_000);
			assertThat(report.oversized()).isPositive();
			assertThat(report.bystanderCalls()).isPositive();
		}
	}

}
