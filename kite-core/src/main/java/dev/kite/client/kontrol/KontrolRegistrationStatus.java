package dev.kite.client.kontrol;

import java.net.URI;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a {@link KontrolRegistration}.
 *
 * @param state where the registration stands
 * @param kontrolUrl the Kontrol it registers with
 * @param registerUrl the URL it registers, or {@code null} before it starts
 * @param lastRegistered when Kontrol last accepted the registration, or {@code null}
 * @param lastHeartbeat when the last heartbeat went to Kontrol (a ping over dnode, a
 * {@code pong} answered over HTTP), or {@code null}
 * @param lastError the last failure's message, or {@code null} (cleared by a successful
 * registration)
 */
public record KontrolRegistrationStatus(State state, URI kontrolUrl, @Nullable URI registerUrl,
		@Nullable Instant lastRegistered, @Nullable Instant lastHeartbeat, @Nullable String lastError) {

	/** Where a registration stands. */
	public enum State {

		/** Created, not started. */
		NEW,
		/** Started, not registered yet (dialing, or registering for the first time). */
		REGISTERING,
		/** Registered; Kontrol has the record. */
		REGISTERED,
		/** Not registered now; retrying in the background. */
		RETRYING,
		/** Closed (deregistered). */
		CLOSED

	}

}
