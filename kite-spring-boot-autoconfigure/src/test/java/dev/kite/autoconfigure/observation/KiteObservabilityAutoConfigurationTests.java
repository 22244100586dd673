package dev.kite.autoconfigure.observation;

import dev.kite.autoconfigure.KiteAutoConfiguration;
import dev.kite.autoconfigure.KiteServerAutoConfiguration;
import dev.kite.autoconfigure.actuate.KiteHealthContributorAutoConfiguration;
import dev.kite.autoconfigure.actuate.KiteHealthIndicator;
import dev.kite.autoconfigure.actuate.KitesEndpoint;
import dev.kite.autoconfigure.actuate.KitesEndpointAutoConfiguration;
import dev.kite.autoconfigure.validation.BeanValidationKiteExceptionResolver;
import dev.kite.autoconfigure.validation.KiteValidationAutoConfiguration;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.server.websocket.KiteWebSocketHandler;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The observability auto-configurations: every part is there with Micrometer, Actuator
 * and Bean Validation, and an application without any of them starts unchanged.
 */
class KiteObservabilityAutoConfigurationTests {

	private final WebApplicationContextRunner web = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KiteAutoConfiguration.class,
				KiteServerAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				ObservationAutoConfiguration.class, KiteObservationAutoConfiguration.class,
				KitesEndpointAutoConfiguration.class, KiteHealthContributorAutoConfiguration.class,
				KiteValidationAutoConfiguration.class))
		.withPropertyValues("kite.name=observed", "management.endpoints.web.exposure.include=kites");

	@Test
	void withMicrometerActuatorAndValidationEveryPartIsThere() {
		this.web.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(KiteServerMeterBinder.class)
			.hasSingleBean(KiteServerCallsObservationHandler.class)
			.hasSingleBean(KitesEndpoint.class)
			.hasSingleBean(KiteHealthIndicator.class)
			.hasSingleBean(BeanValidationKiteExceptionResolver.class));
	}

	@Test
	void theEndpointNeedsToBeExposedAndTheHealthIndicatorCanBeSwitchedOff() {
		this.web
			.withPropertyValues("management.endpoints.web.exposure.include=health",
					"management.health.kite.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(KitesEndpoint.class)
				.doesNotHaveBean(KiteHealthIndicator.class));
	}

	@Test
	void withoutMicrometerMetersTheServerStartsWithoutGauges() {
		this.web.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(KiteDispatcher.class)
				.doesNotHaveBean(KiteServerMeterBinder.class)
				.doesNotHaveBean(KiteServerCallsObservationHandler.class));
	}

	@Test
	void withoutActuatorTheServerStartsWithoutEndpointOrHealthIndicator() {
		this.web
			.withClassLoader(
					new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(KiteWebSocketHandler.class)
				.doesNotHaveBean(KitesEndpoint.class)
				.doesNotHaveBean(KiteHealthIndicator.class));
	}

	@Test
	void withoutBeanValidationThereIsNoValidationResolver() {
		this.web.withClassLoader(new FilteredClassLoader("jakarta.validation"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(KiteDispatcher.class)
				.doesNotHaveBean(BeanValidationKiteExceptionResolver.class));
	}

}
