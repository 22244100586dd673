package dev.kite.protocol;

/**
 * The error {@code type} strings of the kite protocol (PROTOCOL §3.5), spelled exactly as
 * Go and kite.js compare them.
 */
public final class KiteErrorTypes {

	/** Authentication is missing, of an unknown type, or failed verification. */
	public static final String AUTHENTICATION_ERROR = "authenticationError";

	/**
	 * The caller is authenticated but not allowed to call the method (e.g.
	 * {@code @PreAuthorize} refused it). Not a Go type: Go has no authorization layer.
	 * Distinct from {@link #AUTHENTICATION_ERROR} so that a Go or JS client does not try
	 * to renew its token.
	 */
	public static final String ACCESS_DENIED = "accessDenied";

	/** The called method does not exist on the receiving kite. */
	public static final String METHOD_NOT_FOUND = "methodNotFound";

	/** The arguments could not be read as the method declares them. */
	public static final String ARGUMENT_ERROR = "argumentError";

	/** Any other failure of the handler. */
	public static final String GENERIC_ERROR = "genericError";

	/** The method's request rate limit was exceeded. */
	public static final String REQUEST_LIMIT_ERROR = "requestLimitError";

	/** Raised locally by a caller: no response arrived in time. */
	public static final String TIMEOUT = "timeout";

	/** Raised locally by a caller: the connection dropped while the call was pending. */
	public static final String DISCONNECT = "disconnect";

	/** Raised locally by a caller: the request could not be sent. */
	public static final String SEND_ERROR = "sendError";

	/**
	 * Raised locally by a caller: the response did not have the {@code {error,result}}
	 * shape.
	 */
	public static final String INVALID_RESPONSE = "invalidResponse";

	private KiteErrorTypes() {
	}

}
