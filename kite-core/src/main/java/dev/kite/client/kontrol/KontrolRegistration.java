package dev.kite.client.kontrol;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

import dev.kite.protocol.RegisterResult;

/**
 * Keeps this kite registered with Kontrol under one URL: registers, keeps the
 * registration alive (answering Kontrol's heartbeat over dnode, or sending HTTP
 * heartbeats), registers again after Kontrol forgot it (a reconnect, a Kontrol restart,
 * {@code registeragain}), and retries failures in the background with bounded backoff.
 *
 * <p>
 * Nothing here blocks: {@link #start(URI)} returns at once, {@link #close()} never waits
 * for the network. A Kontrol that is down therefore neither delays an application's
 * startup nor its shutdown.
 *
 * <p>
 * Thread safety: every method may be called from any thread; {@link #start(URI)} at most
 * once.
 */
public interface KontrolRegistration extends AutoCloseable {

	/**
	 * Starts registering under a URL, in the background.
	 * @param url the URL other kites dial to reach this kite
	 * @throws IllegalStateException if already started or closed
	 */
	void start(URI url);

	/**
	 * Completes with Kontrol's answer to the first successful registration; fails only if
	 * the registration is closed before that. Never completes before {@link #start(URI)}.
	 * @return the first registration's outcome
	 */
	CompletableFuture<RegisterResult> firstRegistration();

	/** The registration's state now (for health reports). */
	KontrolRegistrationStatus status();

	/**
	 * Deregisters and stops: over dnode the Kontrol connection is closed (a Java Kontrol
	 * deletes the record at once; a Go Kontrol lets it expire), over HTTP the heartbeats
	 * stop. Idempotent; never waits for the network.
	 */
	@Override
	void close();

}
