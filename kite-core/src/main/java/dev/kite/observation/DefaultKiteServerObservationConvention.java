package dev.kite.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@link KiteServerObservationConvention}: {@code kite.server.requests} with
 * the low-cardinality keys {@code method} (the registered method name), {@code outcome}
 * ({@code SUCCESS} or {@code ERROR}) and {@code error.type} (the kite error type of the
 * reply, {@code none} on success), and the high-cardinality {@code request.id}.
 *
 * <p>
 * Thread safety: stateless.
 */
public class DefaultKiteServerObservationConvention implements KiteServerObservationConvention {

	/** The observation's name, and so the timer's. */
	public static final String NAME = "kite.server.requests";

	/** A shared instance. */
	public static final DefaultKiteServerObservationConvention INSTANCE = new DefaultKiteServerObservationConvention();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(KiteServerRequestObservationContext context) {
		return "kite " + context.getMethodName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(KiteServerRequestObservationContext context) {
		return KiteObservationKeys.callKeyValues(context.getMethodName(), context.getErrorType());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(KiteServerRequestObservationContext context) {
		return KeyValues.of(KeyValue.of(KiteObservationKeys.REQUEST_ID, context.getRequestId()));
	}

}
