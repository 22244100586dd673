package dev.kite.kontrol;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kite.protocol.KiteWithToken;

/**
 * The result of a watching {@code getKites} (a {@code watchCallback} was passed): Go's
 * {@code GetKitesResult} shape plus the id to pass to {@code cancelWatcher} (PROTOCOL
 * §6.13; kite.js reads {@code watcherID}).
 *
 * @param kites the kites matching now, each with a token
 * @param watcherID the watcher's id
 */
@JsonPropertyOrder({ "kites", "watcherID" })
public record GetKitesWatchResult(@JsonProperty("kites") List<KiteWithToken> kites,
		@JsonProperty("watcherID") String watcherID) {

	public GetKitesWatchResult {
		kites = List.copyOf(kites);
	}

}
