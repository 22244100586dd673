package dev.kite.kontrol;

import java.time.Duration;

import dev.kite.test.ManualTaskScheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Kontrol's settings: Go's defaults and the values Go kites cannot live with.
 */
class KontrolSettingsTests {

	private final ManualTaskScheduler scheduler = new ManualTaskScheduler();

	@Test
	void defaultsAreGos() {
		KontrolSettings settings = KontrolSettings.builder("admin", this.scheduler).build();
		assertThat(settings.kite().name()).isEqualTo("kontrol");
		assertThat(settings.kite().username()).isEqualTo("admin");
		assertThat(settings.kite().version()).isEqualTo("0.0.1");
		assertThat(settings.kite().id()).matches("[0-9a-f-]{36}");
		assertThat(settings.tokenTtl()).isEqualTo(Duration.ofHours(48));
		assertThat(settings.tokenLeeway()).isEqualTo(Duration.ofMinutes(5));
		assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(settings.watchdog()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.updateInterval()).isEqualTo(Duration.ofSeconds(60));
		assertThat(settings.recordTtl()).isEqualTo(Duration.ofSeconds(90));
		assertThat(settings.cleanupInterval()).isEqualTo(Duration.ofSeconds(120));
		assertThat(settings.heartbeatRequestTimeout()).isEqualTo(Duration.ofSeconds(4));
		assertThat(settings.deregisterOnDisconnect()).isTrue();
		assertThat(settings.clock().instant()).isEqualTo(this.scheduler.now());
	}

	@Test
	void refusesWhatBreaksGoKites() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> KontrolSettings.builder("admin", this.scheduler)
				.heartbeatInterval(Duration.ofMillis(500))
				.build())
			.withMessageContaining("at least 1 second");
		assertThatIllegalArgumentException().isThrownBy(() -> KontrolSettings.builder("", this.scheduler).build())
			.withMessageContaining("username");
		assertThatIllegalArgumentException().isThrownBy(
				() -> KontrolSettings.builder("admin", this.scheduler).tokenLeeway(Duration.ofHours(48)).build());
	}

	@Test
	void closeStopsEveryTimer() {
		KontrolFixture fixture = new KontrolFixture();
		fixture.kontrol.start();
		TestPeer peer = fixture
			.connect(KontrolFixture.kite("alice", "math", "1.0.0", java.util.UUID.randomUUID().toString()));
		peer.call("register", TestPeer.kiteKey(fixture.kontrol.issueKiteKey("alice")),
				java.util.Map.of("url", "http://x/kite"));
		fixture.kontrol.httpEndpoints()
			.register(fixture.mapper.writeValueAsBytes(new dev.kite.protocol.RegisterArgs("http://y/kite",
					KontrolFixture.kite("alice", "web", "1.0.0", java.util.UUID.randomUUID().toString()),
					TestPeer.kiteKey(fixture.kontrol.issueKiteKey("alice")))));
		fixture.advance(Duration.ofSeconds(5)); // the heartbeat request times out
		assertThat(fixture.scheduler.pending()).isNotEmpty();

		fixture.kontrol.close();

		assertThat(fixture.scheduler.pending()).isEmpty();
	}

}
