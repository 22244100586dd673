package dev.kite.test.autoconfigure;

import dev.kite.test.tester.KiteTester;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The tester bean and the URL it dials.
 */
class KiteTesterAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KiteTesterAutoConfiguration.class));

	@Test
	void urlNamesThePortContextPathAndKitePath() {
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "4321")
			.withProperty("server.servlet.context-path", "/app/");
		assertThat(KiteTesterAutoConfiguration.localUrl(environment, "/kite"))
			.isEqualTo("http://127.0.0.1:4321/app/kite");
		assertThat(KiteTesterAutoConfiguration.localUrl(environment.withProperty("server.ssl.enabled", "true"), "rpc"))
			.isEqualTo("https://127.0.0.1:4321/app/rpc");
	}

	@Test
	void portIsReadOnFirstUseAndIsRequired() {
		this.runner.withPropertyValues("kite.test.tester.transport=XHR_POLLING", "kite.test.tester.timeout=3s")
			.run((context) -> {
				KiteTester tester = context.getBean(KiteTester.class);
				assertThat(tester.transport().name()).isEqualTo("XHR_POLLING");
				assertThat(tester.timeout()).hasSeconds(3);
				assertThat(tester.auth()).isNull();
				assertThatIllegalStateException().isThrownBy(tester::url)
					.withMessageContaining("local.server.port")
					.withMessageContaining("RANDOM_PORT");
			});
		this.runner.withPropertyValues("local.server.port=5555", "kite.server.path=/rpc")
			.run((context) -> assertThat(context.getBean(KiteTester.class).url())
				.hasToString("http://127.0.0.1:5555/rpc"));
	}

}
