package dev.kite.autoconfigure.observation;

import java.time.Duration;

import dev.kite.annotation.KiteMethod;
import dev.kite.autoconfigure.actuate.KiteHealthIndicator;
import dev.kite.autoconfigure.actuate.KitesEndpoint;
import dev.kite.client.KiteClients;
import dev.kite.client.KiteConnection;
import dev.kite.protocol.KiteException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import org.springframework.validation.annotation.Validated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A random-port kite with Micrometer, Actuator and Bean Validation: served and client
 * calls are timed with their method and outcome, the gauges count the open session, the
 * {@code kites} endpoint and the {@code kite} health indicator describe the server, and a
 * violated constraint answers {@code argumentError}.
 */
@SpringBootTest(classes = ObservabilityEndToEndTests.ObservedKite.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "kite.name=observed", "management.endpoints.web.exposure.include=kites,health",
				"kite.clients.self.url=http://127.0.0.1:${local.server.port}/kite",
				"kite.clients.unused.url=http://user:secret@127.0.0.1:1/kite" })
class ObservabilityEndToEndTests {

	@Autowired
	KiteClients clients;

	@Autowired
	MeterRegistry meters;

	@Autowired
	KitesEndpoint kites;

	@Autowired
	KiteHealthIndicator health;

	private KiteConnection self() {
		return this.clients.client("self");
	}

	@Test
	void servedAndClientCallsAreTimedWithMethodOutcomeAndErrorType() {
		assertThat(self().method("third").args(9).await(Integer.class)).isEqualTo(3);
		assertThatExceptionOfType(KiteException.class).isThrownBy(() -> self().method("third").args(-3).await());
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(timer("kite.server.requests", "third", "SUCCESS", "none").count()).isEqualTo(1);
			assertThat(timer("kite.server.requests", "third", "ERROR", "argumentError").count()).isEqualTo(1);
			assertThat(timer("kite.client.requests", "third", "SUCCESS", "none").count()).isEqualTo(1);
			assertThat(timer("kite.client.requests", "third", "ERROR", "argumentError").count()).isEqualTo(1);
		});
	}

	@Test
	void unknownMethodsAreNotTimed() {
		assertThatExceptionOfType(KiteException.class).isThrownBy(() -> self().method("made.up.by.a.peer").await())
			.satisfies((ex) -> assertThat(ex.type()).isEqualTo("methodNotFound"));
		assertThat(this.meters.find("kite.server.requests").tag("method", "made.up.by.a.peer").timer()).isNull();
	}

	@Test
	void aViolatedConstraintAnswersArgumentErrorNamingIt() {
		assertThatExceptionOfType(KiteException.class).isThrownBy(() -> self().method("half").args(-2).await())
			.satisfies((ex) -> {
				assertThat(ex.type()).isEqualTo("argumentError");
				assertThat(ex.error().message()).isEqualTo("Invalid arguments: n: must be greater than or equal to 0");
			});
		assertThatExceptionOfType(KiteException.class)
			.isThrownBy(() -> self().method("greet").args(new Person(" ", 5)).await())
			.satisfies((ex) -> assertThat(ex.error().message())
				.isEqualTo("Invalid arguments: person.age: must be greater than or equal to 18; "
						+ "person.name: must not be blank"));
	}

	@Test
	void theGaugesCountTheOpenSessionAndNoCallInFlight() {
		self().method("half").args(2).await(Integer.class);
		assertThat(this.meters.get("kite.server.connections").tag("transport", "sockjs-websocket").gauge().value())
			.isEqualTo(1);
		assertThat(this.meters.get("kite.server.connections").tag("transport", "xhr-polling").gauge().value()).isZero();
		assertThat(this.meters.get("kite.server.calls.active").gauge().value()).isZero();
	}

	@Test
	void theKitesEndpointDescribesTheKiteWithoutCredentials() {
		self().method("half").args(2).await(Integer.class);
		KitesEndpoint.KitesDescriptor kites = this.kites.kites();
		assertThat(kites.identity().name()).isEqualTo("observed");
		assertThat(kites.methods()).contains(new KitesEndpoint.MethodDescriptor("half", false),
				new KitesEndpoint.MethodDescriptor("kite.ping", false));
		assertThat(kites.sessions()).containsEntry("sockjs-websocket", 1);
		assertThat(kites.clients().get("self").state()).isEqualTo("CONNECTED");
		assertThat(kites.clients().get("unused").state()).isEqualTo("NOT_CREATED");
		assertThat(kites.registration()).isNull();
	}

	@Test
	void theHealthIndicatorIsUpWithTheSessions() {
		self().method("half").args(2).await(Integer.class);
		assertThat(this.health.health(true).getStatus()).isEqualTo(Status.UP);
		assertThat(this.health.health(true).getDetails()).containsEntry("sessions", 1).containsEntry("path", "/kite");
	}

	private Timer timer(String name, String method, String outcome, String errorType) {
		return this.meters.get(name).tag("method", method).tag("outcome", outcome).tag("error.type", errorType).timer();
	}

	record Person(@NotBlank String name, @Min(18) int age) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ValidatedMethods.class)
	static class ObservedKite {

	}

	@Component
	@Validated
	static class ValidatedMethods {

		@KiteMethod(value = "half", authenticated = false)
		public int half(@Min(0) int n) {
			return n / 2;
		}

		@KiteMethod(value = "third", authenticated = false)
		public int third(@Min(0) int n) {
			return n / 3;
		}

		@KiteMethod(value = "greet", authenticated = false)
		public String greet(@Valid Person person) {
			return "hello " + person.name();
		}

	}

}
