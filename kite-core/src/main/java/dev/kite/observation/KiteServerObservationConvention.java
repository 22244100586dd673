package dev.kite.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of a served kite call; the default is
 * {@link DefaultKiteServerObservationConvention}.
 */
public interface KiteServerObservationConvention extends ObservationConvention<KiteServerRequestObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof KiteServerRequestObservationContext;
	}

}
