package dev.kite.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * The single argument a kite passes to a caller's {@code responseCallback}:
 * {@code {"error":<KiteError|null>,"result":<any|null>}}. Both keys are always present,
 * because a Go dialer rejects a response that has neither (PROTOCOL §3.3).
 *
 * @param error the failure, or {@code null} on success
 * @param result the result value, or {@code null}
 */
@JsonPropertyOrder({ "error", "result" })
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CallResponse(@JsonProperty("error") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable KiteError error,
		@JsonProperty("result") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Object result) {

	/** A successful response. */
	public static CallResponse success(@Nullable Object result) {
		return new CallResponse(null, result);
	}

	/** A failed response. */
	public static CallResponse failure(KiteError error) {
		return new CallResponse(error, null);
	}

}
