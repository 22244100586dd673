package dev.kite.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kite.dnode.KiteCallback;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.util.RawValue;

/**
 * The single argument of every call a client sends (PROTOCOL §3.1), in kite.js's key
 * order: {@code withArgs} is always an array ({@code []} when empty: {@code null} crashes
 * kite.js servers), {@code authentication} an object or {@code null}. The response
 * callback is written last, so functions inside {@code withArgs} get the lower ids, as
 * kite.js numbers them.
 *
 * <p>
 * {@code kite} and {@code authentication} arrive as JSON the {@link Link} rendered with
 * the connection's mapper once (they change rarely, if ever): binding a {@code Kite}
 * record and an {@code Auth} through bean serializers on every call was a measurable part
 * of the client's encoding.
 *
 * <p>
 * Thread safety: built and encoded on the calling thread; the arguments array is not
 * copied, so callers must not change it while the call is being sent.
 */
@JsonPropertyOrder({ "kite", "authentication", "withArgs", "responseCallback" })
record CallEnvelope(@JsonProperty("kite") RawValue kite,
		@JsonProperty("authentication") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable RawValue authentication,
		@JsonProperty("withArgs") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Object[] withArgs,
		@JsonProperty("responseCallback") KiteCallback responseCallback) {
}
