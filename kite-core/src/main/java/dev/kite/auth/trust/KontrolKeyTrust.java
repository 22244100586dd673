package dev.kite.auth.trust;

/**
 * Decides whether a Kontrol public key embedded in a kite key (its {@code kontrolKey}
 * claim) is trusted (PROTOCOL §4.3, Go's {@code Config.VerifyFunc}). An ordinary kite
 * trusts the key of its own Kontrol ({@link ConfiguredKontrolKeyTrust}); a Kontrol trusts
 * the keys in its key-pair store, deleted ones included.
 *
 * <p>
 * Implementations must be thread-safe: they are called concurrently from request threads.
 * Wrap a slow one in a {@link CachingKontrolKeyTrust}.
 */
@FunctionalInterface
public interface KontrolKeyTrust {

	/**
	 * @param pem the {@code kontrolKey} claim as sent, a PEM public key
	 * @return {@code true} if the key is trusted; {@code false} means "kontrol key is not
	 * trusted" and may be cached as such. An implementation that cannot decide (say, its
	 * store is down) throws instead, and the answer is not cached.
	 */
	boolean isTrusted(String pem);

}
