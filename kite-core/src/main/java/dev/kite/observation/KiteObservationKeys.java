package dev.kite.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

/**
 * The key names and fixed values the default conventions use, shared so that server and
 * client observations tag alike.
 */
public final class KiteObservationKeys {

	/** The method name. */
	public static final String METHOD = "method";

	/** {@link #SUCCESS} or {@link #ERROR}. */
	public static final String OUTCOME = "outcome";

	/** The kite error type, {@link #NONE} on success. */
	public static final String ERROR_TYPE = "error.type";

	/** The request id of a served call (high cardinality). */
	public static final String REQUEST_ID = "request.id";

	/** The URL a client call went to (high cardinality). */
	public static final String URL = "url";

	/** The outcome of a call answered with a result. */
	public static final String SUCCESS = "SUCCESS";

	/** The outcome of a call answered with an error. */
	public static final String ERROR = "ERROR";

	/** The error type of a successful call. */
	public static final String NONE = "none";

	private KiteObservationKeys() {
	}

	/**
	 * The low-cardinality keys of a served or client call: its method, its outcome and
	 * its error type ({@value #NONE} when it succeeded).
	 * @param method the kite method's name
	 * @param errorType the error's type, or {@code null} on success
	 * @return the key values
	 */
	static KeyValues callKeyValues(String method, @Nullable String errorType) {
		return KeyValues.of(KeyValue.of(METHOD, method), KeyValue.of(OUTCOME, (errorType != null) ? ERROR : SUCCESS),
				KeyValue.of(ERROR_TYPE, (errorType != null) ? errorType : NONE));
	}

}
