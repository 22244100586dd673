package dev.kite.rpc;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket for one method, Go's {@code Method.Throttle(fillInterval, capacity)}:
 * the bucket starts full with {@code capacity} tokens, gains one every
 * {@code fillInterval}, and every call takes one; a call that finds it empty is answered
 * with {@code requestLimitError} "The maximum request rate is exceeded." (Go's text).
 *
 * <p>
 * It is kept as one number, the time at which the bucket will be full again (the "generic
 * cell rate algorithm"), so taking a token is a read and one compare-and-set: no lock and
 * no allocation on the path of every call of the method.
 *
 * <p>
 * Thread safety: lock-free; any thread may call {@link #tryAcquire()}.
 */
public final class KiteThrottle {

	private final Clock clock;

	private final Duration fillInterval;

	private final int capacity;

	private final long intervalNanos;

	/** How far ahead of now the "full again" time may be: {@code capacity - 1} tokens. */
	private final long toleranceNanos;

	/** When the bucket is full again, in nanoseconds of {@link #clock}'s time. */
	private final AtomicLong fullAt;

	/**
	 * @param fillInterval how long one token takes to come back; positive
	 * @param capacity how many tokens the bucket holds (the burst); at least 1
	 * @param clock the time source (a fixed clock in tests)
	 */
	public KiteThrottle(Duration fillInterval, int capacity, Clock clock) {
		if (fillInterval.isNegative() || fillInterval.isZero()) {
			throw new IllegalArgumentException("The fill interval must be positive, not " + fillInterval);
		}
		if (capacity < 1) {
			throw new IllegalArgumentException("The capacity must be at least 1, not " + capacity);
		}
		this.clock = clock;
		this.fillInterval = fillInterval;
		this.capacity = capacity;
		this.intervalNanos = saturatedNanos(fillInterval);
		this.toleranceNanos = saturatedMultiply(this.intervalNanos, capacity - 1);
		this.fullAt = new AtomicLong(Long.MIN_VALUE);
	}

	/**
	 * @param fillInterval how long one token takes to come back
	 * @param capacity how many tokens the bucket holds
	 */
	public KiteThrottle(Duration fillInterval, int capacity) {
		this(fillInterval, capacity, Clock.systemUTC());
	}

	/** How long one token takes to come back. */
	public Duration fillInterval() {
		return this.fillInterval;
	}

	/** How many tokens the bucket holds. */
	public int capacity() {
		return this.capacity;
	}

	/**
	 * Takes a token if one is there (Go's {@code TakeAvailable(1) == 1}).
	 * @return whether the call may run
	 */
	public boolean tryAcquire() {
		long now = nowNanos();
		while (true) {
			long full = this.fullAt.get();
			long start = Math.max(full, now);
			if (start - now > this.toleranceNanos) {
				return false;
			}
			if (this.fullAt.compareAndSet(full, saturatedAdd(start, this.intervalNanos))) {
				return true;
			}
		}
	}

	private long nowNanos() {
		// Milliseconds are enough: tokens due within one millisecond come back together.
		return saturatedMultiply(this.clock.millis(), 1_000_000L);
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	private static long saturatedMultiply(long a, long b) {
		long high = Math.multiplyHigh(a, b);
		long low = a * b;
		if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
			return low;
		}
		return ((a ^ b) < 0) ? Long.MIN_VALUE : Long.MAX_VALUE;
	}

	private static long saturatedAdd(long a, long b) {
		long sum = a + b;
		if (((a ^ sum) & (b ^ sum)) < 0) {
			return (a < 0) ? Long.MIN_VALUE : Long.MAX_VALUE;
		}
		return sum;
	}

	@Override
	public String toString() {
		return "KiteThrottle[fillInterval=" + this.fillInterval + ", capacity=" + this.capacity + "]";
	}

}
