package dev.kite.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The argument of Kontrol's {@code getKites}. Go sends {@code null} for the two optional
 * fields, and Go Kontrol ignores both (watching was removed; {@code who} was never
 * implemented).
 *
 * @param query what to look up
 * @param watchCallback a function slot kept for wire shape; ignored by Go Kontrol
 * @param who arbitrary JSON; ignored by Go Kontrol
 */
@JsonPropertyOrder({ "query", "watchCallback", "who" })
@JsonInclude(JsonInclude.Include.ALWAYS)
public record GetKitesArgs(@JsonProperty("query") @Nullable KontrolQuery query,
		@JsonProperty("watchCallback") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable JsonNode watchCallback,
		@JsonProperty("who") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable JsonNode who) {

	/** A plain lookup. */
	public static GetKitesArgs of(KontrolQuery query) {
		return new GetKitesArgs(query, null, null);
	}

}
