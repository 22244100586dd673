package dev.kite.auth.trust;

import dev.kite.auth.TestKeys;
import dev.kite.auth.BoundedExpiringCache;
import dev.kite.auth.trust.CachingKontrolKeyTrust;
import dev.kite.auth.trust.ConfiguredKontrolKeyTrust;
import dev.kite.auth.trust.KontrolKeyTrust;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static dev.kite.auth.TestKeys.KONTROL;
import static dev.kite.auth.TestKeys.OTHER;
import static dev.kite.auth.TestKeys.pem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class KontrolKeyTrustTests {

	private final String kontrolPem = pem(KONTROL.getPublic());

	private final String otherPem = pem(OTHER.getPublic());

	@Test
	void configuredTrustComparesTrimmedPemStrings() {
		ConfiguredKontrolKeyTrust trust = new ConfiguredKontrolKeyTrust(List.of("\n" + this.kontrolPem + "\n"));
		assertThat(trust.isTrusted(this.kontrolPem)).isTrue();
		assertThat(trust.isTrusted("  " + this.kontrolPem + "\r\n")).isTrue();
		assertThat(trust.isTrusted(this.otherPem)).isFalse();
		assertThat(trust.isTrusted(this.kontrolPem.replace("\n", "\r\n"))).isFalse();
		assertThat(trust.isTrusted("")).isFalse();
	}

	@Test
	void cachingTrustCachesBothAnswersForTheTtl() {
		TestKeys.MutableClock clock = new TestKeys.MutableClock(TestKeys.NOW);
		AtomicInteger calls = new AtomicInteger();
		KontrolKeyTrust counting = (pem) -> {
			calls.incrementAndGet();
			return pem.equals(this.kontrolPem);
		};
		CachingKontrolKeyTrust trust = new CachingKontrolKeyTrust(counting, Duration.ofMinutes(5), clock, 10);
		assertThat(trust.isTrusted(this.kontrolPem)).isTrue();
		assertThat(trust.isTrusted(this.kontrolPem)).isTrue();
		assertThat(trust.isTrusted(this.otherPem)).isFalse();
		assertThat(trust.isTrusted(this.otherPem)).isFalse();
		assertThat(calls).hasValue(2);
		clock.advanceSeconds(299);
		trust.isTrusted(this.kontrolPem);
		assertThat(calls).hasValue(2);
		clock.advanceSeconds(1);
		assertThat(trust.isTrusted(this.kontrolPem)).isTrue();
		assertThat(trust.isTrusted(this.otherPem)).isFalse();
		assertThat(calls).hasValue(4);
	}

	@Test
	void cachingTrustDoesNotCacheFailures() {
		AtomicInteger calls = new AtomicInteger();
		KontrolKeyTrust failing = (pem) -> {
			calls.incrementAndGet();
			throw new IllegalStateException("key store unavailable");
		};
		CachingKontrolKeyTrust trust = new CachingKontrolKeyTrust(failing);
		assertThatIllegalStateException().isThrownBy(() -> trust.isTrusted(this.kontrolPem));
		assertThatIllegalStateException().isThrownBy(() -> trust.isTrusted(this.kontrolPem));
		assertThat(calls).hasValue(2);
	}

	@Test
	void cachingTrustStaysBounded() {
		TestKeys.MutableClock clock = new TestKeys.MutableClock(TestKeys.NOW);
		AtomicInteger calls = new AtomicInteger();
		CachingKontrolKeyTrust trust = new CachingKontrolKeyTrust((pem) -> {
			calls.incrementAndGet();
			return false;
		}, Duration.ofMinutes(5), clock, 10);
		for (int i = 0; i < 1000; i++) {
			assertThat(trust.isTrusted("pem-" + i)).isFalse();
		}
		assertThat(calls).hasValue(1000);
	}

	@Test
	void boundedCacheEvictsOldestWhenFull() {
		BoundedExpiringCache<String> cache = new BoundedExpiringCache<>(10);
		for (int i = 0; i < 10; i++) {
			cache.put("k" + i, "v" + i, Long.MAX_VALUE, 0);
		}
		cache.put("k10", "v10", Long.MAX_VALUE, 0);
		assertThat(cache.size()).isLessThanOrEqualTo(10);
		assertThat(cache.get("k0", 0)).isNull();
		assertThat(cache.get("k10", 0)).isEqualTo("v10");
		assertThat(cache.get("k9", 0)).isEqualTo("v9");
	}

	@Test
	void boundedCacheDropsExpiredEntriesFirst() {
		BoundedExpiringCache<String> cache = new BoundedExpiringCache<>(3);
		cache.put("old", "1", 100, 0);
		cache.put("a", "2", Long.MAX_VALUE, 0);
		cache.put("b", "3", Long.MAX_VALUE, 0);
		cache.put("c", "4", Long.MAX_VALUE, 200);
		assertThat(cache.get("a", 200)).isEqualTo("2");
		assertThat(cache.get("b", 200)).isEqualTo("3");
		assertThat(cache.get("c", 200)).isEqualTo("4");
		assertThat(cache.get("old", 50)).isNull();
	}

}
