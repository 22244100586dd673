package dev.kite.kontrol;

import java.time.Duration;
import java.time.Instant;

import dev.kite.kontrol.store.KiteRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kontrol registers itself, as the Go Kontrol does: its own record (its URL, its self key
 * pair) is written at start and refreshed every 30 s, so {@code getKites} finds Kontrol
 * too; after {@code close()} it is left to expire.
 */
class KontrolSelfRegistrationTests {

	private final KontrolFixture fixture = new KontrolFixture();

	@Test
	void kontrolRegistersItselfAndKeepsItsRecordFresh() {
		Kontrol kontrol = this.fixture.kontrol;
		kontrol.start();
		KiteRecord record = this.fixture.store.findById(kontrol.kite().id()).orElseThrow();
		assertThat(record.kite()).isEqualTo(kontrol.kite());
		assertThat(record.url()).isEqualTo("http://kontrol.example:6000/kite");
		assertThat(record.keyId()).isEqualTo(kontrol.selfKeyPair().id());

		this.fixture.advance(Duration.ofSeconds(Kontrol.SELF_REGISTRATION_SECONDS));
		Instant refreshed = this.fixture.scheduler.now();
		assertThat(this.fixture.store.findById(kontrol.kite().id()).orElseThrow().updatedAt()).isEqualTo(refreshed);

		kontrol.close();
		this.fixture.advance(Duration.ofSeconds(Kontrol.SELF_REGISTRATION_SECONDS * 2));
		assertThat(this.fixture.store.findById(kontrol.kite().id()).orElseThrow().updatedAt())
			.as("no refresh after close")
			.isEqualTo(refreshed);
	}

}
