package dev.kite.autoconfigure.registration;

import java.net.URI;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the application stops registering (it is stopping): the Kontrol
 * connection is closed, so a Java Kontrol has removed the record and a Go Kontrol lets it
 * expire.
 */
public class KiteDeregisteredEvent extends ApplicationEvent {

	private final URI kontrolUrl;

	/**
	 * @param source the registration lifecycle
	 * @param kontrolUrl the Kontrol left
	 */
	public KiteDeregisteredEvent(Object source, URI kontrolUrl) {
		super(source);
		this.kontrolUrl = kontrolUrl;
	}

	/** The Kontrol this kite left. */
	public URI getKontrolUrl() {
		return this.kontrolUrl;
	}

}
