package dev.kite.benchmarks.soak;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kite.benchmarks.KiteBenchmarks;
import dev.kite.benchmarks.fuzz.FuzzCommand;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test of {@code soak}: a drop budget instead of a duration (the duration is only a
 * bound), 50 connections.
 */
class SoakCommandTests {

	private static final Pattern SUMMARY = Pattern.compile(
			"calls=(\\d+) calls_per_sec=(\\d+) dropped=(\\d+) failures=(\\d+) heap_growth_mib=(-?[0-9.]+) threads_before=(\\d+) threads_after=(\\d+)\\R?\\z");

	@Test
	void droppedConnectionsSeeOnlyDisconnectErrors() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exitCode = new KiteBenchmarks(java.util.List.of(new SoakCommand(), new FuzzCommand())).run(
				new String[] { "soak", "--conns", "50", "--duration", "5m", "--drops", "30", "--disconnect-every",
						"10ms", "--seed", "1" },
				new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		String report = out.toString(StandardCharsets.UTF_8);
		assertThat(exitCode).as(report + err).isZero();
		Matcher summary = SUMMARY.matcher(report);
		assertThat(summary.find()).as(report).isTrue();
		assertThat(Long.parseLong(summary.group(1))).as("calls").isPositive();
		assertThat(summary.group(3)).isEqualTo("30");
		assertThat(summary.group(4)).isEqualTo("0");
	}

}
