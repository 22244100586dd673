package dev.kite.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Kontrol's answer to {@code register}. {@code err}, {@code publicKey} and
 * {@code kiteKey} are omitted when empty; {@code heartbeatInterval} is 0 over dnode and
 * 10 over HTTP (seconds, integer).
 *
 * @param url the registered URL, echoed
 * @param heartbeatInterval seconds between HTTP heartbeats
 * @param err an error message (HTTP registration only)
 * @param publicKey Kontrol's new public key, when it re-keyed the caller
 * @param kiteKey a re-signed kite key, when the caller's signing key was deleted
 */
@JsonPropertyOrder({ "url", "heartbeatInterval", "err", "publicKey", "kiteKey" })
public record RegisterResult(@JsonProperty("url") String url, @JsonProperty("heartbeatInterval") long heartbeatInterval,
		@JsonProperty("err") @JsonInclude(JsonInclude.Include.NON_EMPTY) String err,
		@JsonProperty("publicKey") @JsonInclude(JsonInclude.Include.NON_EMPTY) String publicKey,
		@JsonProperty("kiteKey") @JsonInclude(JsonInclude.Include.NON_EMPTY) String kiteKey) {

	public RegisterResult {
		url = (url != null) ? url : "";
		err = (err != null) ? err : "";
		publicKey = (publicKey != null) ? publicKey : "";
		kiteKey = (kiteKey != null) ? kiteKey : "";
	}

}
