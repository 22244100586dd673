package dev.kite.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The {@code authentication} object of a call envelope:
 * {@code {"type":"token","key":"eyJ…"}}.
 *
 * @param type the authentication type: {@code kiteKey}, {@code token}, or an application
 * type
 * @param key the credential, usually a JWT
 */
@JsonPropertyOrder({ "type", "key" })
public record Auth(@JsonProperty("type") String type, @JsonProperty("key") String key) {

	/** The kite key type: the caller's long-lived key issued by Kontrol. */
	public static final String KITE_KEY = "kiteKey";

	/** The token type: a short-lived JWT Kontrol issued for calling one kite. */
	public static final String TOKEN = "token";

	public Auth {
		type = (type != null) ? type : "";
		key = (key != null) ? key : "";
	}

	@Override
	public String toString() {
		// The key is a credential: never print it.
		return "Auth[type=" + this.type + ", key=(" + this.key.length() + " chars)]";
	}

}
