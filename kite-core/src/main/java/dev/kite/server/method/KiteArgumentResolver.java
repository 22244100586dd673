package dev.kite.server.method;

import dev.kite.rpc.KiteInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;

/**
 * Supplies one parameter of a {@code @KiteMethod}. Declare beans of this type to add your
 * own; they are asked before the built-in ones.
 *
 * <p>
 * A resolver is chosen per parameter once, at startup. Positional parameters take the
 * next element of the caller's {@code withArgs}; injected ones (request facts, the
 * principal) take none.
 */
public interface KiteArgumentResolver {

	/**
	 * @param parameter a method parameter
	 * @return whether this resolver supplies it
	 */
	boolean supportsParameter(MethodParameter parameter);

	/**
	 * @param parameter a supported parameter
	 * @return whether it consumes a position in {@code withArgs}
	 */
	default boolean isPositional(MethodParameter parameter) {
		return false;
	}

	/**
	 * Supplies the value for one call. Throw a {@link dev.kite.protocol.KiteException} of
	 * type {@code argumentError} for input the caller got wrong.
	 * @param parameter the parameter
	 * @param position its position in {@code withArgs}, or -1 when not positional
	 * @param invocation the call
	 * @return the value
	 * @throws Exception on failure
	 */
	@Nullable Object resolveArgument(MethodParameter parameter, int position, KiteInvocation invocation) throws Exception;

}
