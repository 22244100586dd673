package dev.kite.rpc;

import org.jspecify.annotations.Nullable;

/**
 * Runs around every method call, after authentication (Go's
 * {@code PreHandle}/{@code PostHandle}/ {@code FinalFunc}). Declare beans of this type;
 * they apply in {@code @Order}.
 *
 * <p>
 * Both callbacks run on the thread that serves the call.
 */
public interface KiteMethodInterceptor {

	/**
	 * Before the handler. Throw (e.g. a {@link dev.kite.protocol.KiteException}) to
	 * refuse the call; the exception is mapped like a handler's.
	 * @param invocation the call
	 */
	default void beforeInvocation(KiteInvocation invocation) {
	}

	/**
	 * After the handler, whether it succeeded or not; for async handlers, when the result
	 * completes. Called only when this interceptor's {@link #beforeInvocation} ran, in
	 * reverse order.
	 * @param invocation the call
	 * @param result the result, or {@code null}
	 * @param failure the failure, or {@code null}
	 */
	default void afterCompletion(KiteInvocation invocation, @Nullable Object result, @Nullable Throwable failure) {
	}

}
