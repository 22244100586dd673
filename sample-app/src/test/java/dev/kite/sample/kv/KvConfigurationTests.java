package dev.kite.sample.kv;

import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sample.kv.*}: which kv methods need authentication, and the queue bound.
 */
class KvConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withBean(KiteMethodRegistry.class, KiteMethodRegistry::new)
		.withUserConfiguration(KvConfiguration.class);

	@Test
	void writesNeedAuthenticationByDefaultReadsAndWatchesNever() {
		this.runner.run((context) -> {
			KiteMethodRegistry registry = context.getBean(KiteMethodRegistry.class);
			assertThat(method(registry, "kv.put").authenticated()).isTrue();
			assertThat(method(registry, "kv.get").authenticated()).isFalse();
			assertThat(method(registry, "kv.watch").authenticated()).isFalse();
		});
	}

	@Test
	void authenticatedWritesCanBeTurnedOff() {
		this.runner.withPropertyValues("sample.kv.authenticated-writes=false").run((context) -> {
			assertThat(method(context.getBean(KiteMethodRegistry.class), "kv.put").authenticated()).isFalse();
		});
	}

	@Test
	void watchQueueCapacityBelowOneFailsTheStartup() {
		this.runner.withPropertyValues("sample.kv.watch-queue-capacity=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("at least 1"));
	}

	private static KiteMethodDefinition method(KiteMethodRegistry registry, String name) {
		KiteMethodDefinition method = registry.find(name);
		assertThat(method).as(name).isNotNull();
		return method;
	}

}
