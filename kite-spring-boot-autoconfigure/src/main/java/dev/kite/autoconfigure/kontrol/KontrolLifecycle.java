package dev.kite.autoconfigure.kontrol;

import dev.kite.kontrol.Kontrol;
import org.springframework.context.SmartLifecycle;

/**
 * Starts Kontrol's expiry cleaner with the application context. On stop, the sessions
 * lifecycle of Kontrol's endpoint refuses new calls, lets the calls in flight finish and
 * closes every session with 1001 (going away), so kites reconnect elsewhere at once; then
 * Kontrol's cleaner, heartbeat watchdogs and watchers stop. Nothing blocks: the drain is
 * bounded by a timer and completes asynchronously.
 *
 * <p>
 * Called by the context's lifecycle processor, one thread at a time; the stop callback
 * runs on the thread that ends the drain.
 */
final class KontrolLifecycle implements SmartLifecycle {

	private final Kontrol kontrol;

	private final SmartLifecycle sessions;

	private volatile boolean running;

	/**
	 * @param kontrol the Kontrol to start and close
	 * @param sessions drains and closes the sessions of Kontrol's endpoint
	 */
	KontrolLifecycle(Kontrol kontrol, SmartLifecycle sessions) {
		this.kontrol = kontrol;
		this.sessions = sessions;
	}

	@Override
	public void start() {
		this.kontrol.start();
		this.sessions.start();
		this.running = true;
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		this.sessions.stop(() -> {
			this.kontrol.close();
			callback.run();
		});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// With the kite endpoint's sessions, before Boot's graceful web server shutdown.
		return this.sessions.getPhase();
	}

}
