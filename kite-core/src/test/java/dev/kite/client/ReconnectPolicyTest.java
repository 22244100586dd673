package dev.kite.client;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ReconnectPolicyTest {

	@Test
	void goBackoffGrowsByHalfUpToAMinute() {
		ReconnectPolicy policy = ReconnectPolicy.goDefaults();
		assertThat(policy.intervalMillis(0)).isEqualTo(500);
		assertThat(policy.intervalMillis(1)).isEqualTo(750);
		assertThat(policy.intervalMillis(2)).isEqualTo(1125);
		assertThat(policy.intervalMillis(30)).isEqualTo(60_000);
		assertThat(policy.intervalMillis(Integer.MAX_VALUE)).isEqualTo(60_000);
	}

	@Test
	void jitterStaysWithinHalfTheInterval() {
		ReconnectPolicy policy = ReconnectPolicy.goDefaults();
		for (int i = 0; i < 1000; i++) {
			assertThat(policy.delay(0).toMillis()).isBetween(250L, 750L);
			assertThat(policy.delay(40).toMillis()).isBetween(30_000L, 90_000L);
		}
		ReconnectPolicy exact = new ReconnectPolicy(true, Duration.ofMillis(100), 2, 0, Duration.ofSeconds(1));
		assertThat(exact.delay(2)).isEqualTo(Duration.ofMillis(400));
	}

	@Test
	void rejectsNonsense() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ReconnectPolicy(true, Duration.ZERO, 1.5, 0.5, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ReconnectPolicy(true, Duration.ofSeconds(2), 1.5, 0.5, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ReconnectPolicy(true, Duration.ofSeconds(1), 0.5, 0.5, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ReconnectPolicy(true, Duration.ofSeconds(1), 1.5, 2, Duration.ofSeconds(1)));
	}

}
