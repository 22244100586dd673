package dev.kite.autoconfigure.actuate;

import dev.kite.autoconfigure.KiteAutoConfiguration;
import dev.kite.autoconfigure.KiteClientAutoConfiguration;
import dev.kite.autoconfigure.KiteServerAutoConfiguration;
import dev.kite.autoconfigure.registration.KiteRegistrationAutoConfiguration;
import dev.kite.autoconfigure.registration.KiteRegistrationLifecycle;
import dev.kite.client.KiteClients;
import dev.kite.protocol.Kite;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.server.websocket.KiteWebSocketHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link KitesEndpoint kites endpoint} when the application has Actuator's endpoint
 * support; exposed like any endpoint, e.g.
 * {@code management.endpoints.web.exposure.include=kites}.
 */
@AutoConfiguration(after = { KiteAutoConfiguration.class, KiteServerAutoConfiguration.class,
		KiteClientAutoConfiguration.class, KiteRegistrationAutoConfiguration.class })
public final class KitesEndpointAutoConfiguration {

	/**
	 * Nested so that the endpoint's condition is read only once Actuator's endpoint
	 * support has been found.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	static class KitesEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint(KitesEndpoint.class)
		@ConditionalOnBean(name = KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME)
		KitesEndpoint kitesEndpoint(@Qualifier(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME) Kite localKite,
				ObjectProvider<KiteMethodRegistry> methods, ObjectProvider<KiteWebSocketHandler> handler,
				ObjectProvider<KiteClients> clients,
				@Qualifier(KiteRegistrationAutoConfiguration.LIFECYCLE_BEAN_NAME) ObjectProvider<KiteRegistrationLifecycle> registration) {
			return new KitesEndpoint(localKite, methods.getIfAvailable(), handler.getIfAvailable(),
					clients.getIfAvailable(), () -> {
						KiteRegistrationLifecycle lifecycle = registration.getIfAvailable();
						return (lifecycle != null) ? lifecycle.status().orElse(null) : null;
					});
		}

	}

}
