package dev.kite.benchmarks;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link BenchmarkArguments}.
 */
class BenchmarkArgumentsTests {

	@Test
	void readsSpacedAndEqualsForms() {
		BenchmarkArguments arguments = BenchmarkArguments.parse("--kites", "1000", "--store=postgres");
		assertThat(arguments.integer("kites", 1, 1)).isEqualTo(1000);
		assertThat(arguments.choice("store", "memory", List.of("memory", "postgres"))).isEqualTo("postgres");
		assertThat(arguments.string("absent", "default")).isEqualTo("default");
		arguments.requireAllRead();
	}

	@Test
	void readsDurationsWithUnits() {
		BenchmarkArguments arguments = BenchmarkArguments.parse("--a", "250ms", "--b", "10s", "--c", "2m", "--d", "1h");
		assertThat(arguments.duration("a", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
		assertThat(arguments.duration("b", Duration.ZERO)).isEqualTo(Duration.ofSeconds(10));
		assertThat(arguments.duration("c", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
		assertThat(arguments.duration("d", Duration.ZERO)).isEqualTo(Duration.ofHours(1));
		assertThat(arguments.duration("e", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void rejectsWhatItCannotRead() {
		assertThatExceptionOfType(BenchmarkArguments.UsageException.class)
			.isThrownBy(() -> BenchmarkArguments.parse("kites", "10"))
			.withMessageContaining("'kites'");
		assertThatExceptionOfType(BenchmarkArguments.UsageException.class)
			.isThrownBy(() -> BenchmarkArguments.parse("--kites"))
			.withMessageContaining("needs a value");
		assertThatExceptionOfType(BenchmarkArguments.UsageException.class)
			.isThrownBy(() -> BenchmarkArguments.parse("--kites", "1", "--kites", "2"))
			.withMessageContaining("twice");
		assertThatExceptionOfType(BenchmarkArguments.UsageException.class)
			.isThrownBy(() -> BenchmarkArguments.parse("--duration", "10").duration("duration", Duration.ZERO));
		assertThatExceptionOfType(BenchmarkArguments.UsageException.class)
			.isThrownBy(() -> BenchmarkArguments.parse("--kites", "0").integer("kites", 1, 1))
			.withMessageContaining("at least 1");
	}

	@Test
	void unreadOptionIsAnError() {
		BenchmarkArguments arguments = BenchmarkArguments.parse("--kites", "10", "--kitse", "20");
		arguments.integer("kites", 1, 1);
		assertThatExceptionOfType(BenchmarkArguments.UsageException.class).isThrownBy(arguments::requireAllRead)
			.withMessage("Unknown option(s): --kitse");
	}

}
