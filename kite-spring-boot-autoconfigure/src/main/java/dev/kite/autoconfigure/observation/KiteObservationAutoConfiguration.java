package dev.kite.autoconfigure.observation;

import dev.kite.autoconfigure.KiteServerAutoConfiguration;
import dev.kite.server.websocket.KiteWebSocketHandler;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The kite server's meters when the application has Micrometer: the gauges of
 * {@link KiteServerMeterBinder}, and the counter of calls in flight fed by
 * {@link KiteServerCallsObservationHandler} when an {@link ObservationRegistry} bean
 * exists (Boot applies {@code ObservationHandler} beans to it). The per-call timers
 * ({@code kite.server.requests}, {@code kite.client.requests}) come from the observations
 * themselves, wired in {@link KiteServerAutoConfiguration} and
 * {@code KiteClientAutoConfiguration}. Micrometer's
 * {@code management.metrics.enable.kite=false} turns every kite meter off.
 */
@AutoConfiguration(after = KiteServerAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(KiteWebSocketHandler.class)
public final class KiteObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KiteServerMeterBinder kiteServerMeterBinder(KiteWebSocketHandler handler,
			ObjectProvider<KiteServerCallsObservationHandler> calls) {
		return new KiteServerMeterBinder(handler, calls.getIfAvailable());
	}

	/** Only where calls are observed: otherwise the count would stay at zero. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ObservationRegistry.class)
	static class ActiveCallsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		KiteServerCallsObservationHandler kiteServerCallsObservationHandler() {
			return new KiteServerCallsObservationHandler();
		}

	}

}
