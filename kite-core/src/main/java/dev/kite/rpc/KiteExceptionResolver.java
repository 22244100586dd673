package dev.kite.rpc;

import dev.kite.protocol.KiteError;
import org.jspecify.annotations.Nullable;

/**
 * Maps a failed call's exception to the error the caller receives. Resolvers form a chain
 * (user beans in {@code @Order}, then the defaults); the first non-null answer wins. The
 * server fills in the request id.
 *
 * <p>
 * Whatever a resolver returns is sent to the caller: never put internal details
 * (exception texts, class names, SQL) into it.
 */
@FunctionalInterface
public interface KiteExceptionResolver {

	/**
	 * @param failure the handler's exception (unwrapped from reflection and completion
	 * wrappers)
	 * @param request the call
	 * @return the error to send, or {@code null} to let the next resolver decide
	 */
	@Nullable KiteError resolve(Throwable failure, KiteRequest request);

}
