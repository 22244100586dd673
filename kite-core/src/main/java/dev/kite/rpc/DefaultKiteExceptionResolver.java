package dev.kite.rpc;

import dev.kite.protocol.KiteError;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;

/**
 * The last resolver of the chain; it always answers.
 *
 * <ul>
 * <li>{@link KiteException}: its error, as is.</li>
 * <li>Spring Security's {@link AuthenticationException}: {@code authenticationError} with
 * its message (verifier messages are Go's wording, meant for callers).</li>
 * <li>{@link AccessDeniedException}: {@code accessDenied},
 * {@code "Access is denied"}.</li>
 * <li>Anything else: {@code genericError} with a fixed message naming the request id; the
 * details stay in the server log.</li>
 * </ul>
 */
public final class DefaultKiteExceptionResolver implements KiteExceptionResolver {

	@Override
	public KiteError resolve(Throwable failure, KiteRequest request) {
		if (failure instanceof KiteException kite) {
			return kite.error();
		}
		if (failure instanceof AuthenticationException) {
			return KiteError.of(KiteErrorTypes.AUTHENTICATION_ERROR,
					java.util.Objects.requireNonNullElse(failure.getMessage(), ""));
		}
		if (failure instanceof AccessDeniedException) {
			return KiteError.of(KiteErrorTypes.ACCESS_DENIED, "Access is denied");
		}
		return KiteError.of(KiteErrorTypes.GENERIC_ERROR, internalErrorMessage(request.requestId()));
	}

	/**
	 * The message callers get for an unexpected failure.
	 * @param requestId the request id
	 * @return the message
	 */
	public static String internalErrorMessage(String requestId) {
		return "Internal error; the server log has the details under request id " + requestId;
	}

}
