package dev.kite.autoconfigure.registration;

import java.net.URI;
import java.time.Duration;

import org.springframework.context.ApplicationEvent;

/**
 * Published when an attempt to register with Kontrol fails; another attempt follows.
 * Listeners run on a kite executor or scheduler thread and must not block.
 */
public class KiteRegistrationFailedEvent extends ApplicationEvent {

	private final URI kontrolUrl;

	private final Throwable failure;

	private final Duration retryIn;

	/**
	 * @param source the registration lifecycle
	 * @param kontrolUrl the Kontrol
	 * @param failure why the attempt failed
	 * @param retryIn when the next attempt follows
	 */
	public KiteRegistrationFailedEvent(Object source, URI kontrolUrl, Throwable failure, Duration retryIn) {
		super(source);
		this.kontrolUrl = kontrolUrl;
		this.failure = failure;
		this.retryIn = retryIn;
	}

	/** The Kontrol. */
	public URI getKontrolUrl() {
		return this.kontrolUrl;
	}

	/** Why the attempt failed. */
	public Throwable getFailure() {
		return this.failure;
	}

	/** The delay before the next attempt. */
	public Duration getRetryIn() {
		return this.retryIn;
	}

}
