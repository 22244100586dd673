package dev.kite.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A registry change, as the legacy Kontrol watcher delivered it ({@code REGISTER} or
 * {@code DEREGISTER}). {@code url} and {@code token} are omitted when empty.
 *
 * @param action {@link #REGISTER} or {@link #DEREGISTER}
 * @param kite the kite concerned
 * @param url its URL
 * @param token a token for calling it
 */
@JsonPropertyOrder({ "action", "kite", "url", "token" })
public record KiteEvent(@JsonProperty("action") String action, @JsonProperty("kite") Kite kite,
		@JsonProperty("url") @JsonInclude(JsonInclude.Include.NON_EMPTY) String url,
		@JsonProperty("token") @JsonInclude(JsonInclude.Include.NON_EMPTY) String token) {

	/** A kite registered. */
	public static final String REGISTER = "REGISTER";

	/** A kite went away. */
	public static final String DEREGISTER = "DEREGISTER";

	public KiteEvent {
		action = (action != null) ? action : "";
		kite = (kite != null) ? kite : Kite.unknown();
		url = (url != null) ? url : "";
		token = (token != null) ? token : "";
	}

}
