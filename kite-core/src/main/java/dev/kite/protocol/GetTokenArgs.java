package dev.kite.protocol;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
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

	/**
	 * Reads the wire form. Go's token renewer and {@code GetToken} send a {@code Kite}
	 * object without {@code force}: a missing or null {@code force} is {@code false}.
	 * @param query the unwrapped query fields
	 * @param force {@code force}, or {@code null} when absent
	 * @return the arguments
	 */
	@JsonCreator
	static GetTokenArgs fromJson(@JsonUnwrapped @Nullable KontrolQuery query,
			@JsonProperty("force") @Nullable Boolean force) {
		return new GetTokenArgs(query, Boolean.TRUE.equals(force));
	}

}
