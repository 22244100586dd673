package dev.kite.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * The argument of Kontrol's {@code register}: over dnode only {@code url} is sent; the
 * HTTP form also carries the kite and its kite key. {@code kite} and {@code auth} are
 * omitted when null.
 *
 * @param url the kite's SockJS base URL, e.g. {@code http://10.0.0.5:3636/kite}
 * @param kite the registering kite (HTTP registration only)
 * @param auth the kite key (HTTP registration only)
 */
@JsonPropertyOrder({ "url", "kite", "auth" })
public record RegisterArgs(@JsonProperty("url") String url,
		@JsonProperty("kite") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Kite kite,
		@JsonProperty("auth") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Auth auth) {

	public RegisterArgs {
		url = (url != null) ? url : "";
	}

	/** The dnode form: just the URL. */
	public static RegisterArgs of(String url) {
		return new RegisterArgs(url, null, null);
	}

}
