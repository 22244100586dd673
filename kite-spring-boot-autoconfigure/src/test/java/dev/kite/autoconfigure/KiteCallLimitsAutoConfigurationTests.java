package dev.kite.autoconfigure;

import java.time.Duration;

import dev.kite.annotation.KiteMethod;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteServerLimits;
import dev.kite.rpc.KiteThrottle;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kite.server.limits.*} and {@code kite.server.throttle.*} reach the dispatcher
 * and the method registry.
 */
class KiteCallLimitsAutoConfigurationTests {

	private final WebApplicationContextRunner web = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KiteAutoConfiguration.class,
				KiteServerAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
		.withUserConfiguration(ThrottledConfiguration.class);

	@Test
	void limitsDefaultToSafeValues() {
		this.web.run((context) -> assertThat(context.getBean(KiteDispatcher.class).limits())
			.isEqualTo(KiteServerLimits.defaults()));
	}

	@Test
	void limitsComeFromProperties() {
		this.web
			.withPropertyValues("kite.server.limits.max-in-flight-calls=5", "kite.server.limits.max-callbacks=50",
					"kite.server.limits.warnings-per-minute=0")
			.run((context) -> assertThat(context.getBean(KiteDispatcher.class).limits())
				.isEqualTo(new KiteServerLimits(5, 50, 0)));
	}

	@Test
	void aLimitBelowItsMinimumFailsTheStartup() {
		this.web.withPropertyValues("kite.server.limits.max-in-flight-calls=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("kite.server.limits.max-in-flight-calls"));
	}

	@Test
	void aKiteMethodsThrottleComesFromItsAnnotation() {
		this.web.run((context) -> {
			KiteThrottle throttle = context.getBean(KiteMethodRegistry.class).find("cube").throttle();
			assertThat(throttle).isNotNull();
			assertThat(throttle.fillInterval()).isEqualTo(Duration.ofMillis(100));
			assertThat(throttle.capacity()).isEqualTo(3);
			assertThat(context.getBean(KiteMethodRegistry.class).find("free").throttle()).isNull();
		});
	}

	@Test
	void configuredThrottlesOverrideTheAnnotationAndApplyToAnyMethod() {
		this.web
			.withPropertyValues("kite.server.throttle.cube.fill-interval=1s", "kite.server.throttle.cube.capacity=7",
					"kite.server.throttle.free.fill-interval=20ms")
			.run((context) -> {
				KiteMethodRegistry registry = context.getBean(KiteMethodRegistry.class);
				assertThat(registry.find("cube").throttle().fillInterval()).isEqualTo(Duration.ofSeconds(1));
				assertThat(registry.find("cube").throttle().capacity()).isEqualTo(7);
				assertThat(registry.find("free").throttle().fillInterval()).isEqualTo(Duration.ofMillis(20));
				assertThat(registry.find("free").throttle().capacity()).isEqualTo(1);
			});
	}

	@Test
	void aThrottleWithoutFillIntervalFailsTheStartup() {
		this.web.withPropertyValues("kite.server.throttle.cube.capacity=7")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("kite.server.throttle.cube.fill-interval"));
	}

	@Configuration(proxyBeanMethods = false)
	static class ThrottledConfiguration {

		@Bean
		Cubes cubes() {
			return new Cubes();
		}

	}

	static class Cubes {

		@KiteMethod(value = "cube", authenticated = false, throttleFillInterval = "100ms", throttleCapacity = 3)
		public double cube(double n) {
			return n * n * n;
		}

		@KiteMethod(value = "free", authenticated = false)
		public double free(double n) {
			return n;
		}

	}

}
