package dev.kite.observation;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Observation.Context} of one served kite call ({@code kite.server.requests}).
 * Created only for methods the registry knows, so the method name is one of the served
 * methods' names and never something a peer made up.
 *
 * <p>
 * Thread safety: created on the dispatcher's executor; the error type is set once when
 * the call completes (on the executor, or on the thread that completes an asynchronous
 * result), before the observation stops. The observation's start and stop publish it.
 */
public class KiteServerRequestObservationContext extends Observation.Context {

	private final String methodName;

	private final String requestId;

	private @Nullable String errorType;

	/**
	 * @param methodName the served method's registered name
	 * @param requestId the call's request id (high cardinality)
	 */
	public KiteServerRequestObservationContext(String methodName, String requestId) {
		this.methodName = methodName;
		this.requestId = requestId;
	}

	/** The served method's registered name. */
	public String getMethodName() {
		return this.methodName;
	}

	/** The call's request id. */
	public String getRequestId() {
		return this.requestId;
	}

	/**
	 * The kite error type of the reply ({@code argumentError}, {@code genericError}…), or
	 * {@code null} while the call runs and when it succeeded.
	 */
	public @Nullable String getErrorType() {
		return this.errorType;
	}

	/**
	 * Records the kite error type of the reply.
	 * @param errorType the error type, {@code null} for a success
	 */
	public void setErrorType(@Nullable String errorType) {
		this.errorType = errorType;
	}

}
