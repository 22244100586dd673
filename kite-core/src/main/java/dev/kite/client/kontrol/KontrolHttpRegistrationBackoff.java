package dev.kite.client.kontrol;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * The backoff of {@link KontrolHttpRegistration} between failed {@code POST /register}
 * attempts, Go's {@code RegisterHTTPForever} (PROTOCOL §6.9): start at
 * {@code initialInterval}, multiply by {@code multiplier} after each failed attempt up to
 * {@code maxInterval}, spread each delay by ±{@code randomizationFactor} (Go's
 * {@code backoff} default, 0.5), never give up. It starts over with every registration
 * cycle (the first register, and each {@code registeragain}).
 *
 * @param initialInterval the delay after the first failure (Go: 30 s)
 * @param multiplier the growth per failed attempt (Go: 1.7)
 * @param maxInterval the largest delay before jitter (Go: 5 min)
 * @param randomizationFactor the jitter, 0 to 1 (Go: 0.5); 0 makes delays exact
 */
public record KontrolHttpRegistrationBackoff(Duration initialInterval, double multiplier, Duration maxInterval,
		double randomizationFactor) {

	public KontrolHttpRegistrationBackoff {
		Objects.requireNonNull(initialInterval, "initialInterval");
		Objects.requireNonNull(maxInterval, "maxInterval");
		if (initialInterval.isNegative() || initialInterval.isZero()) {
			throw new IllegalArgumentException("initialInterval must be positive");
		}
		if (maxInterval.compareTo(initialInterval) < 0) {
			throw new IllegalArgumentException("maxInterval must not be below initialInterval");
		}
		if (multiplier < 1) {
			throw new IllegalArgumentException("multiplier must be at least 1");
		}
		if (randomizationFactor < 0 || randomizationFactor > 1) {
			throw new IllegalArgumentException("randomizationFactor must be between 0 and 1");
		}
	}

	/** Go's figures: 30 s, ×1.7, at most 5 min, ±50 %. */
	public static KontrolHttpRegistrationBackoff goDefaults() {
		return new KontrolHttpRegistrationBackoff(Duration.ofSeconds(30), 1.7, Duration.ofMinutes(5), 0.5);
	}

	/**
	 * These figures without jitter (exact delays, e.g. for tests or predictable logs).
	 */
	public KontrolHttpRegistrationBackoff withoutJitter() {
		return new KontrolHttpRegistrationBackoff(this.initialInterval, this.multiplier, this.maxInterval, 0);
	}

	/**
	 * The delay before a retry, before jitter.
	 * @param failures the failed attempts so far in this cycle, at least 1
	 * @return {@code initialInterval × multiplier^(failures-1)}, at most
	 * {@code maxInterval}
	 */
	public Duration interval(int failures) {
		double interval = this.initialInterval.toMillis();
		double max = this.maxInterval.toMillis();
		for (int i = 1; i < failures && interval < max; i++) {
			interval *= this.multiplier;
		}
		return Duration.ofMillis(Math.round(Math.min(interval, max)));
	}

	/**
	 * The delay before a retry, jitter applied as Go's {@code backoff} does: uniformly in
	 * {@code interval ± randomizationFactor × interval}.
	 * @param failures the failed attempts so far in this cycle, at least 1
	 * @param random a source of numbers in {@code [0, 1)}
	 * @return the delay
	 */
	public Duration delay(int failures, DoubleSupplier random) {
		long interval = interval(failures).toMillis();
		double spread = this.randomizationFactor * interval;
		double value = interval - spread + random.getAsDouble() * (2 * spread);
		return Duration.ofMillis(Math.max(1, Math.round(value)));
	}

}
