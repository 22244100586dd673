package dev.kite.protocol;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GoDurationsTests {

	@Test
	void wholeSecondsAsGoPrintsThem() {
		assertThat(GoDurations.format(Duration.ofSeconds(1))).isEqualTo("1s");
		assertThat(GoDurations.format(Duration.ofSeconds(61))).isEqualTo("1m1s");
		assertThat(GoDurations.format(Duration.ofSeconds(3600))).isEqualTo("1h0m0s");
		assertThat(GoDurations.format(Duration.ofSeconds(48 * 3600 + 5 * 60))).isEqualTo("48h5m0s");
		assertThat(GoDurations.format(Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L))).isEqualTo("2562047h47m16s");
	}

	@Test
	void fractionsAndSmallUnitsAsGoPrintsThem() {
		assertThat(GoDurations.format(Duration.ofSeconds(15))).isEqualTo("15s");
		assertThat(GoDurations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
		assertThat(GoDurations.format(Duration.ofMillis(500))).isEqualTo("500ms");
		assertThat(GoDurations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
		assertThat(GoDurations.format(Duration.ofHours(2))).isEqualTo("2h0m0s");
		assertThat(GoDurations.format(Duration.ofNanos(1_500_000))).isEqualTo("1.5ms");
		assertThat(GoDurations.format(Duration.ofNanos(1_500))).isEqualTo("1.5µs");
		assertThat(GoDurations.format(Duration.ofNanos(42))).isEqualTo("42ns");
		assertThat(GoDurations.format(Duration.ZERO)).isEqualTo("0s");
		assertThat(GoDurations.format(Duration.ofMillis(-1500))).isEqualTo("-1.5s");
	}

}
