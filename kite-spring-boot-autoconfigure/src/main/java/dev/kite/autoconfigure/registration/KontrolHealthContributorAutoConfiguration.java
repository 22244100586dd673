package dev.kite.autoconfigure.registration;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code kontrol} health contributor ({@link KontrolHealthIndicator}) when the
 * application has Actuator's health support and registers with Kontrol;
 * {@code management.health.kontrol.enabled=false} leaves it out.
 */
@AutoConfiguration(after = KiteRegistrationAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(name = KiteRegistrationAutoConfiguration.LIFECYCLE_BEAN_NAME)
public final class KontrolHealthContributorAutoConfiguration {

	/**
	 * Nested so its health-specific condition is read only once the class condition above
	 * has found Actuator's health support.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnEnabledHealthIndicator("kontrol")
	static class KontrolHealthIndicatorConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "kontrolHealthIndicator")
		KontrolHealthIndicator kontrolHealthIndicator(
				@Qualifier(KiteRegistrationAutoConfiguration.LIFECYCLE_BEAN_NAME) KiteRegistrationLifecycle registration) {
			return new KontrolHealthIndicator(registration);
		}

	}

}
