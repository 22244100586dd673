package dev.kite.rpc;

import org.jspecify.annotations.Nullable;

/**
 * Runs around method calls, after authentication and the method's throttle. Declare beans
 * of this type; they apply in {@code @Order}, to every method or to those
 * {@link #appliesTo(KiteMethodDefinition)} accepts.
 *
 * <p>
 * Go's three hooks map as follows:
 * <ul>
 * <li>{@code PreHandle} – {@link #beforeInvocation}: runs before the handler; throwing
 * refuses the call.</li>
 * <li>{@code PostHandle} and {@code FinalFunc} – {@link #afterInvocation}: runs after the
 * handler, sees its result or failure, and decides the outcome (return a result, or throw
 * to answer an error). Go's {@code PostHandle} runs after success only: test
 * {@code failure == null}.</li>
 * <li>{@link #afterCompletion} observes the final outcome (metrics, clean-up) and cannot
 * change it.</li>
 * </ul>
 * After the handler, the entered interceptors run in reverse order: first all their
 * {@code afterInvocation}s (innermost first, each seeing the outcome the previous one
 * decided), then all their {@code afterCompletion}s.
 *
 * <p>
 * All callbacks run on the thread that serves the call (for an asynchronous handler,
 * after-callbacks run on the thread that completes its result).
 */
public interface KiteMethodInterceptor {

	/**
	 * Whether this interceptor runs around calls of a method. Asked once per method, on
	 * its first call.
	 * @param method the called method
	 * @return {@code true} (the default) to apply to every method
	 */
	default boolean appliesTo(KiteMethodDefinition method) {
		return true;
	}

	/**
	 * Before the handler (Go's {@code PreHandle}). Throw (e.g. a
	 * {@link dev.kite.protocol.KiteException}) to refuse the call; the exception is
	 * mapped like a handler's.
	 * @param invocation the call
	 */
	default void beforeInvocation(KiteInvocation invocation) {
	}

	/**
	 * After the handler, whether it succeeded or not (Go's {@code PostHandle} and
	 * {@code FinalFunc}), and only when this interceptor's {@link #beforeInvocation} ran.
	 * The default keeps the outcome.
	 * @param invocation the call
	 * @param result the result so far, or {@code null}
	 * @param failure the failure so far, or {@code null} when the call succeeded
	 * @return the result to answer (replaces {@code result}; returning recovers from a
	 * {@code failure})
	 * @throws Throwable the failure to answer instead (rethrow {@code failure} to keep
	 * it); mapped like a handler's
	 */
	default @Nullable Object afterInvocation(KiteInvocation invocation, @Nullable Object result,
			@Nullable Throwable failure) throws Throwable {
		if (failure != null) {
			throw failure;
		}
		return result;
	}

	/**
	 * After the outcome is decided, whether it is a success or not; for async handlers,
	 * when the result completes. Called only when this interceptor's
	 * {@link #beforeInvocation} ran, in reverse order. Cannot change the outcome.
	 * @param invocation the call
	 * @param result the result, or {@code null}
	 * @param failure the failure, or {@code null}
	 */
	default void afterCompletion(KiteInvocation invocation, @Nullable Object result, @Nullable Throwable failure) {
	}

}
