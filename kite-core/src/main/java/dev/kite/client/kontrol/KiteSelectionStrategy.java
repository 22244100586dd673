package dev.kite.client.kontrol;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks the kite a {@link KiteDiscovery#connect discovered connection} dials among the
 * matches of its query. The candidates never include the kite that just failed when
 * another one matched, and are never empty. Replace the default (random, as Kontrol's own
 * shuffle suggests) with a bean to prefer, e.g., the local region.
 *
 * <p>
 * Thread safety: called from any thread, possibly concurrently for different connections;
 * implementations must be thread-safe and must not block.
 */
@FunctionalInterface
public interface KiteSelectionStrategy {

	/**
	 * Picks one candidate.
	 * @param candidates the matches, never empty
	 * @return one of them
	 */
	KiteDescriptor select(List<KiteDescriptor> candidates);

	/** A uniformly random pick. */
	static KiteSelectionStrategy random() {
		return (candidates) -> candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
	}

}
