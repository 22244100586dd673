package dev.kite.rpc;

import org.jspecify.annotations.Nullable;

/**
 * The code behind one kite method. {@code @KiteMethod} beans are adapted to this;
 * built-in methods implement it directly.
 */
@FunctionalInterface
public interface KiteMethodHandler {

	/**
	 * Serves one call.
	 * @param invocation the call
	 * @return the result: any value Jackson can write, {@code null}, or a
	 * {@link java.util.concurrent.CompletionStage} that completes with the result later
	 * @throws Exception any failure; mapped to a kite error by the exception resolvers
	 */
	@Nullable Object handle(KiteInvocation invocation) throws Exception;

}
