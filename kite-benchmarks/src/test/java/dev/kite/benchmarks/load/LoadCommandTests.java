package dev.kite.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kite.benchmarks.KiteBenchmarks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Smoke tests of {@code load} and {@code client}: call budgets instead of durations (the
 * duration is then only a bound), against the ceiling and our kite endpoint in this JVM,
 * over each transport.
 */
class LoadCommandTests {

	/** The last line of a report, which tools read. */
	static final Pattern SUMMARY = Pattern
		.compile("calls_per_sec=(\\d+) p50_us=(\\d+) p99_us=(\\d+) errors=(\\d+) cpu_us_per_call=(-?[0-9.]+)\\R?\\z");

	private static CeilingServer ceiling;

	private static InProcessKite kite;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@BeforeAll
	static void start() throws Exception {
		ceiling = new CeilingServer();
		kite = new InProcessKite();
	}

	@AfterAll
	static void stop() throws Exception {
		ceiling.close();
		kite.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "sockjs", "websocket", "xhr" })
	void ceilingOverEachTransport(String transport) throws Exception {
		assertMeasured(run("load", "--url", ceiling.url(), "--conns", "2", "--inflight", "4", "--warmup", "0s",
				"--duration", "5m", "--calls", "200", "--transport", transport));
	}

	@ParameterizedTest
	@ValueSource(strings = { "sockjs", "websocket", "xhr" })
	void ourKiteOverEachTransport(String transport) throws Exception {
		assertMeasured(run("load", "--url", kite.url(), "--method", "square", "--args", "[3]", "--conns", "2",
				"--inflight", "4", "--warmup", "0s", "--duration", "5m", "--calls", "200", "--transport", transport));
	}

	@ParameterizedTest
	@ValueSource(strings = { "sockjs", "xhr" })
	void ourClientAgainstOurKite(String transport) throws Exception {
		assertMeasured(run("client", "--url", kite.url(), "--conns", "2", "--inflight", "4", "--warmup", "0s",
				"--duration", "5m", "--calls", "100", "--transport", transport));
	}

	@Test
	void errorRepliesAreCountedAsErrors() throws Exception {
		int exitCode = run("load", "--url", kite.url(), "--method", "fail", "--args", "[]", "--conns", "1",
				"--inflight", "2", "--warmup", "0s", "--duration", "300ms");
		String report = this.out.toString(StandardCharsets.UTF_8);
		assertThat(exitCode).as(report).isEqualTo(1);
		Matcher summary = SUMMARY.matcher(report);
		assertThat(summary.find()).as(report).isTrue();
		assertThat(Long.parseLong(summary.group(4))).as(report).isPositive();
		assertThat(report).contains("| 0 | 0 |");
	}

	@Test
	void deadPeerEndsTheRunWithErrorsWithinTheTimeout() {
		// A duration of 5 min: only the call timeout can end this run in time.
		int exitCode = assertTimeoutPreemptively(Duration.ofSeconds(60),
				() -> run("load", "--url", kite.url(), "--method", "never", "--args", "[]", "--conns", "2",
						"--inflight", "3", "--warmup", "0s", "--duration", "5m", "--timeout", "500ms"));
		String report = this.out.toString(StandardCharsets.UTF_8);
		assertThat(exitCode).as(report).isEqualTo(1);
		assertThat(report).contains("FAILED: the run ended early: a call was not answered within 500 ms")
			.containsPattern("errors=6 cpu_us_per_call=-1.0\\R?\\z");
	}

	@Test
	void urlIsRequired() throws Exception {
		assertThat(run("load", "--conns", "2")).isEqualTo(KiteBenchmarks.USAGE_ERROR);
		assertThat(this.err.toString(StandardCharsets.UTF_8)).contains("Option --url is required");
	}

	private void assertMeasured(int exitCode) {
		String report = this.out.toString(StandardCharsets.UTF_8);
		assertThat(exitCode).as(report + this.err.toString(StandardCharsets.UTF_8)).isZero();
		Matcher summary = SUMMARY.matcher(report);
		assertThat(summary.find()).as(report).isTrue();
		assertThat(Long.parseLong(summary.group(1))).as(report).isPositive();
		assertThat(Long.parseLong(summary.group(2))).as(report).isPositive();
		assertThat(Long.parseLong(summary.group(4))).as(report).isZero();
		assertThat(Double.parseDouble(summary.group(5))).as(report).isPositive();
		assertThat(report).doesNotContain("FAILED");
	}

	private int run(String... args) throws Exception {
		return new KiteBenchmarks(List.of(new LoadCommand(), new ClientCommand())).run(args,
				new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

}
