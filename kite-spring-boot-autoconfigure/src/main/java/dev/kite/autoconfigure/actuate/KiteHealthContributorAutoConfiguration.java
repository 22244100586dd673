package dev.kite.autoconfigure.actuate;

import dev.kite.autoconfigure.KiteProperties;
import dev.kite.autoconfigure.KiteServerAutoConfiguration;
import dev.kite.server.websocket.KiteWebSocketHandler;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code kite} health contributor ({@link KiteHealthIndicator}) when the application
 * has Actuator's health support and serves kite methods;
 * {@code management.health.kite.enabled=false} leaves it out.
 */
@AutoConfiguration(after = KiteServerAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(value = KiteWebSocketHandler.class, name = KiteServerAutoConfiguration.SESSIONS_LIFECYCLE_BEAN_NAME)
public final class KiteHealthContributorAutoConfiguration {

	/**
	 * Nested so that its health-specific condition is read only once the class condition
	 * above has found Actuator's health support.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnEnabledHealthIndicator("kite")
	static class KiteHealthIndicatorConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "kiteHealthIndicator")
		KiteHealthIndicator kiteHealthIndicator(KiteWebSocketHandler handler,
				@Qualifier(KiteServerAutoConfiguration.SESSIONS_LIFECYCLE_BEAN_NAME) SmartLifecycle sessions,
				KiteProperties properties) {
			return new KiteHealthIndicator(handler, sessions, properties.getServer().getPath());
		}

	}

}
