package dev.kite.protocol;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The error object of a kite response (PROTOCOL §3.4). All four keys are always sent, as
 * strings; an empty value is {@code ""}. A Go dialer fails to decode a numeric
 * {@code code}, which is why it is a string here.
 *
 * @param type the error type, e.g. {@code authenticationError}; see
 * {@link KiteErrorTypes}
 * @param message a human-readable message, safe to show to the caller
 * @param code an application-defined code
 * @param id the server-side request id (16 lowercase hex characters), {@code ""} when
 * none
 */
@JsonPropertyOrder({ "type", "message", "code", "id" })
public record KiteError(@JsonProperty("type") String type, @JsonProperty("message") String message,
		@JsonProperty("code") String code, @JsonProperty("id") String id) {

	public KiteError {
		type = Objects.requireNonNullElse(type, "");
		message = Objects.requireNonNullElse(message, "");
		code = Objects.requireNonNullElse(code, "");
		id = Objects.requireNonNullElse(id, "");
	}

	/** An error with an empty code and no request id. */
	public static KiteError of(String type, String message) {
		return new KiteError(type, message, "", "");
	}

	/** This error carrying the given request id. */
	public KiteError withId(String requestId) {
		return new KiteError(this.type, this.message, this.code, requestId);
	}

	/**
	 * Renders the error as Go does: the message, prefixed by {@code type + ": "} unless
	 * the type is {@code genericError} or empty, followed by {@code " (id)"} when an id
	 * is present.
	 */
	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		if (!this.type.isEmpty() && !KiteErrorTypes.GENERIC_ERROR.equals(this.type)) {
			text.append(this.type).append(": ");
		}
		text.append(this.message);
		if (!this.id.isEmpty()) {
			text.append(" (").append(this.id).append(')');
		}
		return text.toString();
	}

}
