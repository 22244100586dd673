package dev.kite.benchmarks.kontrol;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kite.benchmarks.KiteBenchmarks;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The smoke test of the {@code kontrol} command, the only benchmark code the build runs:
 * a few kites on the memory store and call budgets instead of a measured duration (which
 * is then only a bound), so it ends as soon as the calls are made.
 */
class KontrolBenchmarkCommandTests {

	private static final Pattern SUMMARY = Pattern.compile("registrations_per_sec=(\\d+) getkites_one_p50_us=(\\d+) "
			+ "getkites_one_p99_us=(\\d+) getkites_all_p50_us=(\\d+) getkites_all_p99_us=(\\d+)\\R?$");

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@Test
	void registersKitesMeasuresGetKitesAndPrintsTheSummaryLine() throws Exception {
		int exitCode = run("kontrol", "--store", "memory", "--kites", "6", "--connections", "2", "--in-flight", "2",
				"--warmup", "0s", "--duration", "5m", "--calls", "30");
		String report = this.out.toString(StandardCharsets.UTF_8);
		assertThat(exitCode).as(report + this.err.toString(StandardCharsets.UTF_8)).isZero();
		assertThat(report).contains("## Kontrol: 6 kites on in-memory")
			.contains("| register | 6 |")
			.contains("| dial (SockJS/WebSocket handshake) | 6 |")
			.doesNotContain("FAILED");
		assertThat(report).containsPattern("\\| getKites, 1 match \\(user/env/name\\) \\| 3[0-9] \\|")
			.containsPattern("\\| getKites, 6 matches \\(user\\) \\| 3[0-9] \\|");
		Matcher summary = SUMMARY.matcher(report);
		assertThat(summary.find()).as(report).isTrue();
		for (int group = 1; group <= 5; group++) {
			assertThat(Long.parseLong(summary.group(group))).isPositive();
		}
	}

	@Test
	void unknownOptionIsAUsageError() throws Exception {
		assertThat(run("kontrol", "--kitez", "10")).isEqualTo(KiteBenchmarks.USAGE_ERROR);
		assertThat(this.err.toString(StandardCharsets.UTF_8)).contains("Unknown option(s): --kitez")
			.contains("--store memory|postgres");
		assertThat(this.out.size()).isZero();
	}

	@Test
	void jdbcUrlNeedsThePostgresStore() throws Exception {
		assertThat(run("kontrol", "--jdbc-url", "jdbc:postgresql://localhost/kite"))
			.isEqualTo(KiteBenchmarks.USAGE_ERROR);
		assertThat(this.err.toString(StandardCharsets.UTF_8)).contains("--jdbc-url needs --store postgres");
	}

	@Test
	void unknownCommandIsAUsageError() throws Exception {
		assertThat(run("kontroll")).isEqualTo(KiteBenchmarks.USAGE_ERROR);
		assertThat(this.err.toString(StandardCharsets.UTF_8)).contains("Unknown command 'kontroll'")
			.contains("kontrol");
	}

	private int run(String... args) throws Exception {
		return new KiteBenchmarks(List.of(new KontrolBenchmarkCommand())).run(args,
				new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

}
