package dev.kite.autoconfigure.observation;

import dev.kite.server.websocket.KiteWebSocketHandler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * The kite server's gauges: {@code kite.server.connections} (open sessions, tag
 * {@code transport}: {@code websocket}, {@code sockjs-websocket}, {@code xhr-streaming},
 * {@code xhr-polling}) and, with an observation registry,
 * {@code kite.server.calls.active} (served calls in flight).
 *
 * <p>
 * Thread safety: the gauges are read on the registry's thread (a scrape); the session
 * counts are computed then, so serving a call pays nothing for them.
 */
public class KiteServerMeterBinder implements MeterBinder {

	private final KiteWebSocketHandler handler;

	private final @Nullable KiteServerCallsObservationHandler calls;

	/**
	 * @param handler the kite endpoint's handler
	 * @param calls counts the calls in flight, or {@code null} when calls are not
	 * observed
	 */
	public KiteServerMeterBinder(KiteWebSocketHandler handler, @Nullable KiteServerCallsObservationHandler calls) {
		this.handler = handler;
		this.calls = calls;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String transport : KiteWebSocketHandler.TRANSPORTS) {
			Gauge.builder("kite.server.connections", this.handler, (handler) -> count(handler, transport))
				.description("Open kite sessions")
				.tag("transport", transport)
				.baseUnit("connections")
				.register(registry);
		}
		KiteServerCallsObservationHandler calls = this.calls;
		if (calls != null) {
			Gauge.builder("kite.server.calls.active", calls, KiteServerCallsObservationHandler::activeCalls)
				.description("Served kite calls in flight")
				.baseUnit("calls")
				.register(registry);
		}
	}

	private static double count(KiteWebSocketHandler handler, String transport) {
		Integer count = handler.sessionCountsByTransport().get(transport);
		return (count != null) ? count : 0;
	}

}
