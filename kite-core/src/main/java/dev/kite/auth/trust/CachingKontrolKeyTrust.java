package dev.kite.auth.trust;

import dev.kite.auth.BoundedExpiringCache;
import java.time.Clock;
import java.time.Duration;

/**
 * Caches the answers of another {@link KontrolKeyTrust} per PEM string for a TTL, as Go's
 * kite does with {@code Config.VerifyTTL} (PROTOCOL §4.3): both "trusted" and "not
 * trusted" answers are cached; an exception from the delegate (it could not decide) is
 * passed on and not cached.
 *
 * <p>
 * Go's default TTL is 5 minutes ({@link #DEFAULT_TTL}); Go reads {@code KITE_VERIFY_TTL},
 * which is the caller's business here. The cache holds at most {@link #DEFAULT_MAX_SIZE}
 * keys by default: anyone can present a kite key with a fresh {@code kontrolKey}, so it
 * must not grow without bound.
 *
 * <p>
 * Thread-safe; lookups are lock-free.
 */
public final class CachingKontrolKeyTrust implements KontrolKeyTrust {

	/** Go's default {@code VerifyTTL}. */
	public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

	/** Default bound on cached keys. */
	public static final int DEFAULT_MAX_SIZE = 1_000;

	private final KontrolKeyTrust delegate;

	private final long ttlMillis;

	private final Clock clock;

	private final BoundedExpiringCache<Boolean> cache;

	/**
	 * Caches for {@link #DEFAULT_TTL} on the system clock.
	 * @param delegate the trust to ask on a miss
	 */
	public CachingKontrolKeyTrust(KontrolKeyTrust delegate) {
		this(delegate, DEFAULT_TTL, Clock.systemUTC(), DEFAULT_MAX_SIZE);
	}

	/**
	 * @param delegate the trust to ask on a miss
	 * @param ttl how long an answer is kept; must be positive
	 * @param clock the time source
	 * @param maxSize the most keys kept
	 */
	public CachingKontrolKeyTrust(KontrolKeyTrust delegate, Duration ttl, Clock clock, int maxSize) {
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("ttl must be positive: " + ttl);
		}
		this.delegate = delegate;
		this.ttlMillis = ttl.toMillis();
		this.clock = clock;
		this.cache = new BoundedExpiringCache<>(maxSize);
	}

	@Override
	public boolean isTrusted(String pem) {
		long now = this.clock.millis();
		Boolean cached = this.cache.get(pem, now);
		if (cached != null) {
			return cached;
		}
		boolean trusted = this.delegate.isTrusted(pem);
		this.cache.put(pem, trusted, now + this.ttlMillis, now);
		return trusted;
	}

}
