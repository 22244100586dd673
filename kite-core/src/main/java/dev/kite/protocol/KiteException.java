package dev.kite.protocol;

import org.jspecify.annotations.Nullable;

/**
 * A failure with a kite error type. Thrown by a {@code @KiteMethod}, it reaches the
 * caller as is ({@code type}, {@code message} and {@code code}; the server fills in the
 * request id). Thrown by a client call, it carries the error the remote kite (or the
 * local client) reported.
 */
public class KiteException extends RuntimeException {

	private final KiteError error;

	/**
	 * @param type the error type, e.g. {@code "notFound"} or one of
	 * {@link KiteErrorTypes}
	 * @param message a message that is safe to show to the caller
	 */
	public KiteException(String type, String message) {
		this(new KiteError(type, message, "", ""), null);
	}

	/**
	 * @param type the error type
	 * @param message a message that is safe to show to the caller
	 * @param code an application code
	 */
	public KiteException(String type, String message, String code) {
		this(new KiteError(type, message, code, ""), null);
	}

	/**
	 * @param error the error object
	 */
	public KiteException(KiteError error) {
		this(error, null);
	}

	/**
	 * @param error the error object
	 * @param cause the underlying cause (logged, never sent)
	 */
	public KiteException(KiteError error, @Nullable Throwable cause) {
		super(error.toString(), cause);
		this.error = error;
	}

	/** The error object. */
	public KiteError error() {
		return this.error;
	}

	/** The error type. */
	public String type() {
		return this.error.type();
	}

}
