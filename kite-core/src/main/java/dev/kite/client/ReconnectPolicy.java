package dev.kite.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When and how a {@link KiteConnection} dials again after a failed dial or a lost
 * connection (and how a Kontrol HTTP registration retries): Go's exponential backoff
 * (PROTOCOL §7) — start at {@code initialInterval}, multiply by {@code multiplier} after
 * each failed attempt up to {@code maxInterval}, and spread each delay by
 * ±{@code randomizationFactor}. The interval starts over after every successful dial.
 *
 * @param enabled whether to reconnect at all ({@code false}: a lost connection stays
 * lost, as Go's {@code Dial()}; {@code true}: as Go's {@code DialForever()})
 * @param initialInterval the first delay (Go: 500 ms)
 * @param multiplier the growth factor per failed attempt (Go: 1.5)
 * @param randomizationFactor the jitter, 0 to 1 (Go: 0.5, i.e. ±50 %)
 * @param maxInterval the largest delay before jitter (Go: 60 s)
 */
public record ReconnectPolicy(boolean enabled, Duration initialInterval, double multiplier, double randomizationFactor,
		Duration maxInterval) {

	public ReconnectPolicy {
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

	/** Reconnection off; Go's backoff figures kept for when it is switched on. */
	public static ReconnectPolicy disabled() {
		return new ReconnectPolicy(false, Duration.ofMillis(500), 1.5, 0.5, Duration.ofSeconds(60));
	}

	/** Reconnection on, with Go's figures: 500 ms, ×1.5, ±50 %, at most 60 s. */
	public static ReconnectPolicy goDefaults() {
		return new ReconnectPolicy(true, Duration.ofMillis(500), 1.5, 0.5, Duration.ofSeconds(60));
	}

	/** This policy switched on or off. */
	public ReconnectPolicy withEnabled(boolean on) {
		return new ReconnectPolicy(on, this.initialInterval, this.multiplier, this.randomizationFactor,
				this.maxInterval);
	}

	/** This policy without jitter: exact delays (for tests, or predictable logs). */
	public ReconnectPolicy withoutJitter() {
		return new ReconnectPolicy(this.enabled, this.initialInterval, this.multiplier, 0, this.maxInterval);
	}

	/**
	 * The base interval (before jitter) for a given attempt.
	 * @param attempt 0 for the first retry
	 * @return the interval in milliseconds
	 */
	long intervalMillis(int attempt) {
		double interval = this.initialInterval.toMillis();
		double max = this.maxInterval.toMillis();
		for (int i = 0; i < attempt && interval < max; i++) {
			interval *= this.multiplier;
		}
		return Math.round(Math.min(interval, max));
	}

	/**
	 * The base interval (before jitter) for a given attempt:
	 * {@code initialInterval × multiplier^attempt}, at most {@code maxInterval}.
	 * @param attempt 0 for the first retry
	 * @return the interval
	 */
	public Duration interval(int attempt) {
		return Duration.ofMillis(intervalMillis(attempt));
	}

	/**
	 * The delay before a given retry, jitter applied.
	 * @param attempt 0 for the first retry
	 * @return the delay
	 */
	Duration delay(int attempt) {
		return delay(attempt, () -> ThreadLocalRandom.current().nextDouble());
	}

	/**
	 * The delay before a given retry, jitter applied as Go's {@code backoff} does:
	 * uniformly in {@code interval ± randomizationFactor × interval}.
	 * @param attempt 0 for the first retry
	 * @param random a source of numbers in {@code [0, 1)}
	 * @return the delay, at least 1 ms
	 */
	public Duration delay(int attempt, DoubleSupplier random) {
		long interval = intervalMillis(attempt);
		double spread = this.randomizationFactor * interval;
		double value = interval - spread + random.getAsDouble() * (2 * spread);
		return Duration.ofMillis(Math.max(1, Math.round(value)));
	}

}
