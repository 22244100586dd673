package dev.kite.autoconfigure.registration;

import java.net.InetAddress;
import java.net.URI;

import dev.kite.autoconfigure.KiteAutoConfiguration;
import dev.kite.autoconfigure.KiteClientAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KiteRegistrationAutoConfiguration}: the lifecycle and the health indicator are
 * there unless switched off, bad settings fail naming the property, a client-only
 * application without a Kontrol URL registers nothing, and the registered URL is built as
 * documented.
 */
class KiteRegistrationAutoConfigurationTests {

	private final ApplicationContextRunner noKey = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KiteAutoConfiguration.class,
				KiteClientAutoConfiguration.class, KiteRegistrationAutoConfiguration.class,
				KontrolHealthContributorAutoConfiguration.class))
		.withSystemProperties("user.home=/nonexistent-home-for-tests");

	@Test
	void lifecycleAndHealthIndicatorAreThereByDefault() {
		this.noKey.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(KiteRegistrationLifecycle.class)
				.hasSingleBean(KontrolHealthIndicator.class);
			KiteRegistrationLifecycle lifecycle = context.getBean(KiteRegistrationLifecycle.class);
			assertThat(lifecycle.getPhase()).isGreaterThan(Integer.MAX_VALUE - 1024); // stops
																						// before
																						// graceful
																						// shutdown
			assertThat(lifecycle.isRunning()).isTrue();
			assertThat(lifecycle.status()).isEmpty(); // no Kontrol URL, no key: nothing
														// registers
		});
	}

	@Test
	void registerFalseLeavesItOut() {
		this.noKey.withPropertyValues("kite.kontrol.register=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(KiteRegistrationLifecycle.class)
				.doesNotHaveBean(KontrolHealthIndicator.class));
	}

	@Test
	void withoutActuatorHealthThereIsNoIndicator() {
		this.noKey.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(KiteRegistrationLifecycle.class)
				.doesNotHaveBean(KontrolHealthIndicator.class));
	}

	@Test
	void aKontrolUrlWithoutAKiteKeyFailsNamingTheProperty() {
		this.noKey.withPropertyValues("kite.kontrol.url=http://127.0.0.1:1/kite").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("kite.kontrol.url")
				.hasMessageContaining("kite key");
		});
	}

	@Test
	void aMalformedKontrolUrlFailsNamingTheProperty() {
		this.noKey.withPropertyValues("kite.kontrol.url=ftp://kontrol/kite").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("kite.kontrol.url");
		});
	}

	@Test
	void nonPositiveIntervalsFailNamingTheProperty() {
		this.noKey.withPropertyValues("kite.kontrol.retry-interval=0s")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("kite.kontrol.retry-interval"));
		this.noKey.withPropertyValues("kite.kontrol.http.multiplier=0.5")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("kite.kontrol.http.multiplier"));
	}

	@Test
	void registeredUrlsAreBuiltAsDocumented() throws Exception {
		assertThat(RegisterUrls.url(false, "10.0.0.5", 3636, "", "/kite"))
			.isEqualTo(URI.create("http://10.0.0.5:3636/kite"));
		assertThat(RegisterUrls.url(true, "::1", 8443, "/app/", "/kite"))
			.isEqualTo(URI.create("https://[::1]:8443/app/kite"));
		assertThat(RegisterUrls.host("kite.example.com", InetAddress.getByName("10.1.2.3")))
			.isEqualTo("kite.example.com");
		assertThat(RegisterUrls.host(null, InetAddress.getByName("10.1.2.3"))).isEqualTo("10.1.2.3");
		String found = RegisterUrls.host(null, InetAddress.getByName("0.0.0.0"));
		assertThat(InetAddress.getByName(found).isAnyLocalAddress()).isFalse();
		assertThat(RegisterUrls.localHost(InetAddress.getByName("0.0.0.0"))).isEqualTo("127.0.0.1");
	}

}
