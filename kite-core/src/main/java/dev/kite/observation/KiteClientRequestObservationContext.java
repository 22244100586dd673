package dev.kite.observation;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Observation.Context} of one call a {@code KiteConnection} sends
 * ({@code kite.client.requests}).
 *
 * <p>
 * Thread safety: created by the thread that sends the call; the error type is set once
 * when the call's future completes (on the connection's executor), before the observation
 * stops.
 */
public class KiteClientRequestObservationContext extends Observation.Context {

	private final String methodName;

	private final String url;

	private @Nullable String errorType;

	/**
	 * @param methodName the called method's name
	 * @param url the URL of the kite called (high cardinality)
	 */
	public KiteClientRequestObservationContext(String methodName, String url) {
		this.methodName = methodName;
		this.url = url;
	}

	/** The called method's name. */
	public String getMethodName() {
		return this.methodName;
	}

	/** The URL of the kite called. */
	public String getUrl() {
		return this.url;
	}

	/**
	 * The kite error type the call failed with (remote, or local such as {@code timeout}
	 * and {@code disconnect}), or {@code null} while it runs and when it succeeded.
	 */
	public @Nullable String getErrorType() {
		return this.errorType;
	}

	/**
	 * Records the kite error type of the failure.
	 * @param errorType the error type, {@code null} for a success
	 */
	public void setErrorType(@Nullable String errorType) {
		this.errorType = errorType;
	}

}
