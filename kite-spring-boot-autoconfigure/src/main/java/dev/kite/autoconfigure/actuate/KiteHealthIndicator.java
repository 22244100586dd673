package dev.kite.autoconfigure.actuate;

import java.util.Map;

import dev.kite.server.websocket.KiteWebSocketHandler;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.SmartLifecycle;

/**
 * The kite endpoint in Actuator's health ({@code kite}): {@code UP} while it serves
 * (between the start of the application and the start of its shutdown, when the endpoint
 * closes its sessions), {@code OUT_OF_SERVICE} otherwise; details: the path, the open
 * sessions and their count by transport.
 *
 * <p>
 * Thread safety: reads thread-safe state; any thread.
 */
public class KiteHealthIndicator extends AbstractHealthIndicator {

	private final KiteWebSocketHandler handler;

	private final SmartLifecycle sessions;

	private final String path;

	/**
	 * @param handler the kite endpoint's handler
	 * @param sessions the lifecycle that opens the endpoint at startup and closes its
	 * sessions at shutdown
	 * @param path the endpoint's path
	 */
	public KiteHealthIndicator(KiteWebSocketHandler handler, SmartLifecycle sessions, String path) {
		super("Kite health check failed");
		this.handler = handler;
		this.sessions = sessions;
		this.path = path;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		if (this.sessions.isRunning()) {
			builder.up();
		}
		else {
			builder.outOfService();
		}
		Map<String, Integer> byTransport = this.handler.sessionCountsByTransport();
		builder.withDetail("path", this.path)
			.withDetail("sessions", byTransport.values().stream().mapToInt(Integer::intValue).sum())
			.withDetail("sessionsByTransport", byTransport);
	}

}
