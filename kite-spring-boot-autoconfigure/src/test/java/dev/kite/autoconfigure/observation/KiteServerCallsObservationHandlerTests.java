package dev.kite.autoconfigure.observation;

import dev.kite.observation.KiteClientRequestObservationContext;
import dev.kite.observation.KiteServerRequestObservationContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KiteServerCallsObservationHandler} counts served calls from their start to their
 * stop, and nothing else.
 */
class KiteServerCallsObservationHandlerTests {

	private final KiteServerCallsObservationHandler handler = new KiteServerCallsObservationHandler();

	private final ObservationRegistry registry = ObservationRegistry.create();

	KiteServerCallsObservationHandlerTests() {
		this.registry.observationConfig().observationHandler(this.handler);
	}

	@Test
	void aServedCallCountsWhileItRuns() {
		Observation first = Observation.start("kite.server.requests",
				() -> new KiteServerRequestObservationContext("square", "r1"), this.registry);
		Observation second = Observation.start("kite.server.requests",
				() -> new KiteServerRequestObservationContext("square", "r2"), this.registry);
		assertThat(this.handler.activeCalls()).isEqualTo(2);
		first.stop();
		assertThat(this.handler.activeCalls()).isEqualTo(1);
		second.stop();
		assertThat(this.handler.activeCalls()).isZero();
	}

	@Test
	void clientCallsAreNotCounted() {
		Observation client = Observation.start("kite.client.requests",
				() -> new KiteClientRequestObservationContext("square", "ws://kite.test/kite"), this.registry);
		assertThat(this.handler.activeCalls()).isZero();
		client.stop();
	}

}
