package dev.kite.protocol;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.jspecify.annotations.Nullable;

/**
 * The argument of Kontrol's {@code getToken}: Go's {@code GetTokenArgs} embeds
 * {@code KontrolQuery}, so its seven fields are written flat, in their order, followed by
 * {@code force} (bypass Kontrol's token cache):
 * {@code {"username":…,"environment":…,"name":…,"version":…,"region":…,"hostname":…,"id":…,"force":…}}.
 *
 * @param query the kite the token is for
 * @param force whether to mint a fresh token
 */
public record GetTokenArgs(@JsonUnwrapped KontrolQuery query, @JsonProperty("force") boolean force) {

	public GetTokenArgs(@Nullable KontrolQuery query, boolean force) {
		// A message without any query field leaves nothing to unwrap: all fields unset,
		// as in Go.
		this.query = Objects.requireNonNullElseGet(query, () -> new KontrolQuery("", "", "", "", "", "", ""));
		this.force = force;
	}

}
