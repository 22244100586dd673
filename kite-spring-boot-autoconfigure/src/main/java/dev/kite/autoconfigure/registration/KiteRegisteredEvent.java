package dev.kite.autoconfigure.registration;

import java.net.URI;

import dev.kite.protocol.RegisterResult;
import org.springframework.context.ApplicationEvent;

/**
 * Published each time Kontrol accepts this kite's registration: the first time, and again
 * after a reconnect or a Kontrol restart. Listeners run on a kite executor or scheduler
 * thread and must not block.
 */
public class KiteRegisteredEvent extends ApplicationEvent {

	private final URI kontrolUrl;

	private final URI registerUrl;

	private final RegisterResult result;

	/**
	 * @param source the registration lifecycle
	 * @param kontrolUrl the Kontrol
	 * @param registerUrl the URL registered
	 * @param result Kontrol's answer
	 */
	public KiteRegisteredEvent(Object source, URI kontrolUrl, URI registerUrl, RegisterResult result) {
		super(source);
		this.kontrolUrl = kontrolUrl;
		this.registerUrl = registerUrl;
		this.result = result;
	}

	/** The Kontrol this kite registered with. */
	public URI getKontrolUrl() {
		return this.kontrolUrl;
	}

	/** The URL other kites reach this kite at. */
	public URI getRegisterUrl() {
		return this.registerUrl;
	}

	/** Kontrol's answer (with a rotated key, if Kontrol rotated it; already applied). */
	public RegisterResult getResult() {
		return this.result;
	}

}
