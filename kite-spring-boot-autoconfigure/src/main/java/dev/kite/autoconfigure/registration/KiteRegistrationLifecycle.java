package dev.kite.autoconfigure.registration;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.kite.client.kontrol.KontrolRegistration;
import dev.kite.client.kontrol.KontrolRegistrationListener;
import dev.kite.client.kontrol.KontrolRegistrationStatus;
import dev.kite.protocol.GoDurations;
import dev.kite.protocol.RegisterResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Registers the application's kite with Kontrol while the application runs: it starts
 * once the web server has its port, and stops before the web server's graceful shutdown,
 * so a stopping application leaves the registry before it stops answering (DESIGN "What
 * starts what").
 *
 * <p>
 * {@link #start()} works out Kontrol's URL and the registered URL (which may need the
 * port), creates a {@link KontrolRegistration} and starts it in the background; with
 * fail-fast it waits, at most the startup timeout, for the first registration and throws
 * otherwise. {@link #stop()} closes the registration without waiting for the network.
 * Without a Kontrol URL, nothing registers (logged once).
 *
 * <p>
 * It publishes {@link KiteRegisteredEvent}, {@link KiteRegistrationFailedEvent} and
 * {@link KiteDeregisteredEvent}.
 *
 * <p>
 * Thread safety: {@link #start()} and {@link #stop()} are called by the context's
 * lifecycle processor, one at a time; {@link #status()} from any thread (health checks).
 */
public class KiteRegistrationLifecycle implements SmartLifecycle {

	/**
	 * The phase: after the web server starts (its port is known) and the embedded Kontrol
	 * starts; stopped before both and before the web server's graceful shutdown.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 256;

	private static final Logger logger = LoggerFactory.getLogger(KiteRegistrationLifecycle.class);

	private final Targets targets;

	private final Function<Targets.Resolved, KontrolRegistration> registrations;

	private final ApplicationEventPublisher publisher;

	private final boolean failFast;

	private final Duration startupTimeout;

	private volatile @Nullable Running running;

	private volatile boolean started;

	/** Completed by the first failed attempt after a start; a fail-fast start waits. */
	private volatile CompletableFuture<Throwable> firstFailure = new CompletableFuture<>();

	/**
	 * @param targets works out Kontrol's URL and the registered URL at start
	 * @param registrations creates the registration for them, given a listener through
	 * {@link Targets.Resolved#listener()}
	 * @param publisher publishes the registration events
	 * @param failFast whether a first registration that fails within
	 * {@code startupTimeout} fails the start
	 * @param startupTimeout how long a fail-fast start waits
	 */
	public KiteRegistrationLifecycle(Targets targets, Function<Targets.Resolved, KontrolRegistration> registrations,
			ApplicationEventPublisher publisher, boolean failFast, Duration startupTimeout) {
		this.targets = targets;
		this.registrations = registrations;
		this.publisher = publisher;
		this.failFast = failFast;
		this.startupTimeout = startupTimeout;
	}

	@Override
	public void start() {
		this.started = true;
		this.firstFailure = new CompletableFuture<>();
		Optional<Targets.Resolved> resolved = this.targets.resolve(this::listener);
		if (resolved.isEmpty()) {
			return;
		}
		KontrolRegistration registration = this.registrations.apply(resolved.get());
		this.running = new Running(resolved.get(), registration);
		registration.start(resolved.get().registerUrl());
		logger.info("Registering {} with Kontrol {}", resolved.get().registerUrl(), resolved.get().kontrolUrl());
		if (this.failFast) {
			awaitFirstRegistration(resolved.get(), registration);
		}
	}

	private void awaitFirstRegistration(Targets.Resolved target, KontrolRegistration registration) {
		CompletableFuture<RegisterResult> first = registration.firstRegistration();
		try {
			CompletableFuture.anyOf(first, this.firstFailure)
				.get(this.startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
			if (first.isDone() && !first.isCompletedExceptionally()) {
				return;
			}
			throw new ExecutionException(this.firstFailure.getNow(null));
		}
		catch (TimeoutException | ExecutionException ex) {
			String reason = registration.status().lastError();
			stop();
			throw new IllegalStateException("Could not register with Kontrol " + target.kontrolUrl() + " within "
					+ GoDurations.format(this.startupTimeout) + " (kite.kontrol.fail-fast=true)"
					+ ((reason != null) ? ": " + reason : ": Kontrol not reachable"));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			stop();
			throw new IllegalStateException("Interrupted while registering with Kontrol " + target.kontrolUrl());
		}
	}

	private KontrolRegistrationListener listener(URI kontrolUrl, URI registerUrl) {
		Object source = this;
		return new KontrolRegistrationListener() {

			@Override
			public void registered(RegisterResult result) {
				KiteRegistrationLifecycle.this.publisher
					.publishEvent(new KiteRegisteredEvent(source, kontrolUrl, registerUrl, result));
			}

			@Override
			public void failed(Throwable failure, Duration retryIn) {
				KiteRegistrationLifecycle.this.firstFailure.complete(failure); // fail-fast
				KiteRegistrationLifecycle.this.publisher
					.publishEvent(new KiteRegistrationFailedEvent(source, kontrolUrl, failure, retryIn));
			}

			@Override
			public void deregistered() {
				KiteRegistrationLifecycle.this.publisher.publishEvent(new KiteDeregisteredEvent(source, kontrolUrl));
			}

		};
	}

	@Override
	public void stop() {
		this.started = false;
		Running current = this.running;
		this.running = null;
		if (current != null) {
			current.registration().close();
		}
	}

	@Override
	public boolean isRunning() {
		return this.started;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * The registration's state, or empty when not registering (stopped, or no Kontrol
	 * URL).
	 */
	public Optional<KontrolRegistrationStatus> status() {
		Running current = this.running;
		return (current != null) ? Optional.of(current.registration().status()) : Optional.empty();
	}

	private record Running(Targets.Resolved target, KontrolRegistration registration) {
	}

	/** Works out where to register, once the web server has its port. */
	@FunctionalInterface
	public interface Targets {

		/**
		 * @param listeners makes the listener for a Kontrol URL and registered URL
		 * @return what to register where, or empty when this kite does not register
		 * @throws RuntimeException (e.g. a configuration error naming the property) to
		 * fail the start
		 */
		Optional<Resolved> resolve(ListenerFactory listeners);

		/** Makes the registration listener once the URLs are known. */
		@FunctionalInterface
		interface ListenerFactory {

			KontrolRegistrationListener create(URI kontrolUrl, URI registerUrl);

		}

		/**
		 * @param kontrolUrl Kontrol's URL
		 * @param registerUrl the URL to register
		 * @param listener the listener the registration must report to
		 */
		record Resolved(URI kontrolUrl, URI registerUrl, KontrolRegistrationListener listener) {
		}

	}

}
