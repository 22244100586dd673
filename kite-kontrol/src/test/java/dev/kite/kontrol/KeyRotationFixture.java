package dev.kite.kontrol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.KiteKeys;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.auth.trust.KontrolTrustSource;
import dev.kite.client.kontrol.KontrolKeyRotation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kite whose key was signed by {@link KontrolFixture#OTHER} (a pair the test deletes),
 * loaded from a key file in a temporary directory, trusting that pair's public key: what
 * a rotation must update.
 */
final class KeyRotationFixture {

	final Path keyFile;

	final LocalKiteKey kiteKey;

	final KontrolTrustSource trust;

	KeyRotationFixture(String oldKey) throws IOException {
		this.keyFile = Files.createTempDirectory("kite-key").resolve("kite.key");
		Files.writeString(this.keyFile, oldKey + "\n", StandardCharsets.UTF_8);
		KiteKey loaded = KiteKeys.load(null, this.keyFile).orElseThrow();
		assertThat(loaded.kontrolKey()).isEqualTo(KontrolFixture.OTHER.publicKey());
		this.kiteKey = new LocalKiteKey(loaded);
		this.trust = new KontrolTrustSource("kontrol", List.of(KontrolFixture.OTHER.publicKey()));
	}

	KontrolKeyRotation rotation() {
		return new KontrolKeyRotation(this.kiteKey, this.trust, this.keyFile);
	}

	/**
	 * The re-signed key is in use, trusted and written; the deleted pair's key is not.
	 */
	void assertRotatedTo(String rotated) throws IOException {
		KiteKey current = this.kiteKey.get().orElseThrow();
		assertThat(current.raw()).isEqualTo(rotated);
		assertThat(current.username()).isEqualTo("alice");
		assertThat(current.kontrolKey()).isEqualTo(KontrolFixture.SELF.publicKey());
		assertThat(this.trust.trustedKeys()).containsExactly(KontrolFixture.SELF.publicKey());
		assertThat(Files.readString(this.keyFile, StandardCharsets.UTF_8)).isEqualTo(rotated);
		assertThat(KiteKeys.load(null, this.keyFile)).contains(current);
	}

}
