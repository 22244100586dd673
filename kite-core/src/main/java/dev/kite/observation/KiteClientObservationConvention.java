package dev.kite.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of a client kite call; the default is
 * {@link DefaultKiteClientObservationConvention}.
 */
public interface KiteClientObservationConvention extends ObservationConvention<KiteClientRequestObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof KiteClientRequestObservationContext;
	}

}
