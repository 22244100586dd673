package dev.kite.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kite.dnode.KiteCallback;
import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import org.jspecify.annotations.Nullable;

/**
 * The single argument of every call a client sends (PROTOCOL §3.1), in kite.js's key
 * order: {@code withArgs} is always an array ({@code []} when empty: {@code null} crashes
 * kite.js servers), {@code authentication} an object or {@code null}. The response
 * callback is written last, so functions inside {@code withArgs} get the lower ids, as
 * kite.js numbers them.
 *
 * <p>
 * Thread safety: built and encoded on the calling thread; the arguments array is not
 * copied, so callers must not change it while the call is being sent.
 */
@JsonPropertyOrder({ "kite", "authentication", "withArgs", "responseCallback" })
record CallEnvelope(@JsonProperty("kite") Kite kite,
		@JsonProperty("authentication") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Auth authentication,
		@JsonProperty("withArgs") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Object[] withArgs,
		@JsonProperty("responseCallback") KiteCallback responseCallback) {
}
