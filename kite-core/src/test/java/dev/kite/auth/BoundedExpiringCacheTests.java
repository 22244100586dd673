package dev.kite.auth;

import dev.kite.auth.BoundedExpiringCache;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BoundedExpiringCacheTests {

	@Test
	void keepsEntriesUntilTheyExpire() {
		BoundedExpiringCache<String> cache = new BoundedExpiringCache<>(10);
		cache.put("k", "v", 1_000, 0);
		assertThat(cache.get("k", 999)).isEqualTo("v");
		assertThat(cache.get("k", 1_000)).isNull();
	}

	@Test
	void sizeZeroKeepsNothing() {
		BoundedExpiringCache<String> cache = new BoundedExpiringCache<>(0);
		cache.put("k", "v", Long.MAX_VALUE, 0);
		assertThat(cache.get("k", 1)).isNull();
	}

	@Test
	void refusesNegativeSizes() {
		assertThatIllegalArgumentException().isThrownBy(() -> new BoundedExpiringCache<String>(-1));
	}

}
