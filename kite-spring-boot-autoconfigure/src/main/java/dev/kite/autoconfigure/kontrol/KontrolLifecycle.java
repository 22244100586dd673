package dev.kite.autoconfigure.kontrol;

import dev.kite.kontrol.Kontrol;
import dev.kite.server.websocket.KiteWebSocketHandler;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.socket.CloseStatus;

/**
 * Starts Kontrol's expiry cleaner with the application context; on stop closes every
 * session of Kontrol's endpoint with 1001 (going away), so kites reconnect elsewhere at
 * once, and stops Kontrol's cleaner, heartbeat watchdogs and watchers. Neither step
 * blocks: sessions are closed and timers cancelled without waiting.
 *
 * <p>
 * Called by the context's lifecycle processor, one thread at a time.
 */
final class KontrolLifecycle implements SmartLifecycle {

	private final Kontrol kontrol;

	private final KiteWebSocketHandler handler;

	private volatile boolean running;

	KontrolLifecycle(Kontrol kontrol, KiteWebSocketHandler handler) {
		this.kontrol = kontrol;
		this.handler = handler;
	}

	@Override
	public void start() {
		this.kontrol.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.handler.closeSessions(CloseStatus.GOING_AWAY);
		this.kontrol.close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Stops with the kite endpoint's sessions, before Boot's graceful web server
		// shutdown (DEFAULT_PHASE - 1024).
		return SmartLifecycle.DEFAULT_PHASE - 512;
	}

}
