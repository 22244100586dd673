package dev.kite.autoconfigure.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.kite.client.declarative.EnableKiteClients;
import dev.kite.autoconfigure.e2e.WireClients;
import dev.kite.client.KiteConnection;
import dev.kite.client.KiteClients;
import dev.kite.protocol.KiteException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A non-web Spring Boot application calling a kite through {@code kite.clients.math}: as
 * a {@code @KiteClient} interface and as a qualified {@link KiteConnection} bean.
 */
@SpringBootTest(classes = dev.kite.autoconfigure.e2e.TestKiteApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.allow-bean-definition-overriding=false")
class KiteClientEndToEndTests {

	@LocalServerPort
	int port;

	private ConfigurableApplicationContext clientApp(String... properties) {
		return clientApp(new Class<?>[] { ClientApplication.class }, properties);
	}

	private ConfigurableApplicationContext clientApp(Class<?>[] sources, String... properties) {
		return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "kite.name=caller")
			.properties(properties)
			.run();
	}

	@Test
	void declarativeAndNamedClientsCallTheKite() throws Exception {
		try (ConfigurableApplicationContext app = clientApp(new Class<?>[] { ClientApplication.class, Caller.class },
				"kite.clients.math.url=http://127.0.0.1:" + this.port + "/kite")) {
			MathClient math = app.getBean(MathClient.class);
			assertThat(math.square(4).get(10, TimeUnit.SECONDS)).isEqualTo(16.0);
			assertThat(math.squareNow(3)).isEqualTo(9.0);
			assertThat(math.total(List.of(1, 2, 3))).isEqualTo(6);
			assertThat(math.fourth(2)).isEqualTo(16.0);
			List<Integer> ticks = new CopyOnWriteArrayList<>();
			math.countdown(3, (args) -> ticks.add(args[0].intValue()));
			await().untilAsserted(() -> assertThat(ticks).containsExactly(3, 2, 1));
			assertThatExceptionOfType(KiteException.class).isThrownBy(() -> math.lookup("k")).satisfies((ex) -> {
				assertThat(ex.error().type()).isEqualTo("notFound");
				assertThat(ex.error().code()).isEqualTo("404");
			});
			Caller caller = app.getBean(Caller.class);
			assertThat(caller.math.callAndWait("square", Double.class, 5)).isEqualTo(25.0);
			assertThat(app.getBean(KiteClients.class).names()).containsExactly("math");
		}
	}

	@Test
	void clientsUseXhrPollingWhenConfigured() {
		try (ConfigurableApplicationContext app = clientApp(
				"kite.clients.math.url=http://127.0.0.1:" + this.port + "/kite",
				"kite.clients.math.transport=xhr-polling")) {
			assertThat(app.getBean(MathClient.class).squareNow(6)).isEqualTo(36.0);
		}
	}

	@Test
	void aClientWithoutUrlFailsStartupNamingTheProperty() {
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> clientApp("kite.clients.math.transport=websocket").close())
			.satisfies((ex) -> assertThat(rootCause(ex)).hasMessageContaining("kite.clients.math.url"));
	}

	@Test
	void anInterfaceForAnUnconfiguredClientFailsStartup() {
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> clientApp("kite.clients.other.url=http://127.0.0.1:" + this.port + "/kite").close())
			.satisfies((ex) -> assertThat(rootCause(ex)).hasMessageContaining("No kite client named 'math'"));
	}

	@Test
	void tokenAuthenticationNeedsItsToken() {
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> clientApp("kite.clients.math.url=http://127.0.0.1:" + this.port + "/kite",
					"kite.clients.math.authentication=token")
				.close())
			.satisfies((ex) -> assertThat(rootCause(ex)).hasMessageContaining("kite.clients.math.token"));
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable current = ex;
		while (current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableKiteClients
	static class ClientApplication {

	}

	@Component
	static class Caller {

		final KiteConnection math;

		Caller(@Qualifier("math") KiteConnection math) {
			this.math = math;
		}

	}

}
