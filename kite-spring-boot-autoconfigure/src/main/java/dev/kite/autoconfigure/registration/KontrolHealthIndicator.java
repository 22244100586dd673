package dev.kite.autoconfigure.registration;

import java.util.Optional;

import dev.kite.client.kontrol.KontrolRegistrationStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The Kontrol registration in Actuator's health ({@code kontrol}): {@code UP} while
 * registered, {@code UNKNOWN} otherwise (registering, retrying, or not registering at
 * all), with the details: state, Kontrol URL, registered URL, last registration, last
 * heartbeat and last error. A Kontrol outage never turns the application's health
 * {@code DOWN}: the kite keeps serving, and restarting it would not bring Kontrol back.
 *
 * <p>
 * Thread safety: reads a snapshot; any thread.
 */
public class KontrolHealthIndicator extends AbstractHealthIndicator {

	private final KiteRegistrationLifecycle registration;

	/**
	 * @param registration the registration lifecycle
	 */
	public KontrolHealthIndicator(KiteRegistrationLifecycle registration) {
		super("Kontrol health check failed");
		this.registration = registration;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Optional<KontrolRegistrationStatus> current = this.registration.status();
		if (current.isEmpty()) {
			builder.unknown().withDetail("state", "NOT_REGISTERING");
			return;
		}
		KontrolRegistrationStatus status = current.get();
		if (status.state() == KontrolRegistrationStatus.State.REGISTERED) {
			builder.up();
		}
		else {
			builder.unknown();
		}
		builder.withDetail("state", status.state().name()).withDetail("kontrolUrl", status.kontrolUrl().toString());
		if (status.registerUrl() != null) {
			builder.withDetail("registerUrl", status.registerUrl().toString());
		}
		if (status.lastRegistered() != null) {
			builder.withDetail("lastRegistered", status.lastRegistered().toString());
		}
		if (status.lastHeartbeat() != null) {
			builder.withDetail("lastHeartbeat", status.lastHeartbeat().toString());
		}
		if (status.lastError() != null) {
			builder.withDetail("lastError", status.lastError());
		}
	}

}
