package dev.kite.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One {@code getKites} result: a kite, where to reach it, and a token for calling it.
 *
 * @param kite the kite's identity
 * @param url its SockJS base URL
 * @param keyId the UUID of the key pair that signed the token; omitted when empty
 * @param token a JWT to send as {@code {"type":"token","key":…}}
 */
@JsonPropertyOrder({ "kite", "url", "keyId", "token" })
public record KiteWithToken(@JsonProperty("kite") Kite kite, @JsonProperty("url") String url,
		@JsonProperty("keyId") @JsonInclude(JsonInclude.Include.NON_EMPTY) String keyId,
		@JsonProperty("token") String token) {

	public KiteWithToken {
		kite = (kite != null) ? kite : Kite.unknown();
		url = (url != null) ? url : "";
		keyId = (keyId != null) ? keyId : "";
		token = (token != null) ? token : "";
	}

}
