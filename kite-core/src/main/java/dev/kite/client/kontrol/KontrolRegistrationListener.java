package dev.kite.client.kontrol;

import java.time.Duration;

import dev.kite.protocol.RegisterResult;

/**
 * Told what happens to a {@link KontrolRegistration}. Methods run on the registration's
 * executor or scheduler threads, one event at a time per registration; they must not
 * block.
 */
public interface KontrolRegistrationListener {

	/** A listener that ignores everything. */
	KontrolRegistrationListener NONE = new KontrolRegistrationListener() {
	};

	/**
	 * Kontrol accepted a registration (the first, or one after a reconnect or
	 * {@code registeragain}). Key rotation has already been applied.
	 * @param result Kontrol's answer
	 */
	default void registered(RegisterResult result) {
	}

	/**
	 * A registration attempt failed; another follows after {@code retryIn}.
	 * @param failure why
	 * @param retryIn the delay before the next attempt
	 */
	default void failed(Throwable failure, Duration retryIn) {
	}

	/** The registration was closed (the kite left Kontrol). */
	default void deregistered() {
	}

}
