package dev.kite.autoconfigure.observation;

import java.util.concurrent.atomic.AtomicInteger;

import dev.kite.observation.KiteServerRequestObservationContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * Counts the served kite calls in flight ({@code kite.server.calls.active}): one more
 * when a {@code kite.server.requests} observation starts, one less when it stops.
 * Counting here, where the observation already is, keeps the dispatcher free of a second
 * counter.
 *
 * <p>
 * Thread safety: called by every thread that starts or stops a served call's observation;
 * an {@link AtomicInteger}.
 */
public class KiteServerCallsObservationHandler implements ObservationHandler<KiteServerRequestObservationContext> {

	private final AtomicInteger active = new AtomicInteger();

	@Override
	public void onStart(KiteServerRequestObservationContext context) {
		this.active.incrementAndGet();
	}

	@Override
	public void onStop(KiteServerRequestObservationContext context) {
		this.active.decrementAndGet();
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof KiteServerRequestObservationContext;
	}

	/** The served calls started and not yet answered. */
	public int activeCalls() {
		return this.active.get();
	}

}
