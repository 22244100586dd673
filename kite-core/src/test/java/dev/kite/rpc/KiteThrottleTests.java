package dev.kite.rpc;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Go's {@code ratelimit.NewBucket(fillInterval, capacity)} with {@code TakeAvailable(1)}:
 * starts full, one token back per interval, never more than the capacity.
 */
class KiteThrottleTests {

	private final KiteServerLimitsTests.MutableClock clock = new KiteServerLimitsTests.MutableClock();

	@Test
	void startsFullAndRefillsOneTokenPerInterval() {
		KiteThrottle throttle = new KiteThrottle(Duration.ofMillis(100), 3, this.clock);
		assertThat(takeAll(throttle)).isEqualTo(3);
		this.clock.advance(Duration.ofMillis(99));
		assertThat(throttle.tryAcquire()).isFalse();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(takeAll(throttle)).isEqualTo(1);
		this.clock.advance(Duration.ofMillis(250));
		assertThat(takeAll(throttle)).isEqualTo(2);
	}

	@Test
	void neverHoldsMoreThanItsCapacity() {
		KiteThrottle throttle = new KiteThrottle(Duration.ofMillis(10), 5, this.clock);
		this.clock.advance(Duration.ofDays(365));
		assertThat(takeAll(throttle)).isEqualTo(5);
	}

	@Test
	void concurrentCallersTakeExactlyTheCapacity() throws Exception {
		KiteThrottle throttle = new KiteThrottle(Duration.ofHours(1), 1000, this.clock);
		AtomicInteger taken = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				futures.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < 1000; i++) {
						if (throttle.tryAcquire()) {
							taken.incrementAndGet();
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(taken.get()).isEqualTo(1000);
	}

	@Test
	void refusesNonsense() {
		assertThatIllegalArgumentException().isThrownBy(() -> new KiteThrottle(Duration.ZERO, 1, this.clock));
		assertThatIllegalArgumentException().isThrownBy(() -> new KiteThrottle(Duration.ofSeconds(1), 0, this.clock));
	}

	@Test
	void hugeIntervalsDoNotOverflow() {
		KiteThrottle throttle = new KiteThrottle(Duration.ofSeconds(Long.MAX_VALUE), Integer.MAX_VALUE, this.clock);
		assertThat(throttle.tryAcquire()).isTrue();
		KiteThrottle single = new KiteThrottle(Duration.ofSeconds(Long.MAX_VALUE), 1, this.clock);
		assertThat(single.tryAcquire()).isTrue();
		assertThat(single.tryAcquire()).isFalse();
	}

	private static int takeAll(KiteThrottle throttle) {
		int taken = 0;
		while (throttle.tryAcquire()) {
			taken++;
		}
		return taken;
	}

}
