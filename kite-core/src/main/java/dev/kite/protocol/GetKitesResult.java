package dev.kite.protocol;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Kontrol's answer to {@code getKites}: {@code {"kites":[…]}}, an empty list when nothing
 * matched.
 *
 * @param kites the matching kites, each with a token
 */
public record GetKitesResult(@JsonProperty("kites") List<KiteWithToken> kites) {

	public GetKitesResult {
		kites = (kites != null) ? List.copyOf(kites) : List.of();
	}

}
