package dev.kite.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@link KiteClientObservationConvention}: {@code kite.client.requests} with
 * the low-cardinality keys {@code method}, {@code outcome} ({@code SUCCESS} or
 * {@code ERROR}) and {@code error.type} (the kite error type, {@code none} on success),
 * and the high-cardinality {@code url}.
 *
 * <p>
 * The method name is the one the application calls, a name chosen in code, not by a peer.
 *
 * <p>
 * Thread safety: stateless.
 */
public class DefaultKiteClientObservationConvention implements KiteClientObservationConvention {

	/** The observation's name, and so the timer's. */
	public static final String NAME = "kite.client.requests";

	/** A shared instance. */
	public static final DefaultKiteClientObservationConvention INSTANCE = new DefaultKiteClientObservationConvention();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(KiteClientRequestObservationContext context) {
		return "kite " + context.getMethodName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(KiteClientRequestObservationContext context) {
		return KiteObservationKeys.callKeyValues(context.getMethodName(), context.getErrorType());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(KiteClientRequestObservationContext context) {
		return KeyValues.of(KeyValue.of(KiteObservationKeys.URL, context.getUrl()));
	}

}
