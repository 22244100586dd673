package dev.kite.client.kontrol;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import dev.kite.auth.TestKeys;
import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.auth.trust.KontrolTrustSource;
import dev.kite.protocol.RegisterResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link KontrolKeyRotation}: what a register result's {@code kiteKey} and
 * {@code publicKey} change, and what they leave alone.
 */
class KontrolKeyRotationTests {

	private static final String OLD_PEM = TestKeys.pem(TestKeys.OTHER.getPublic());

	private static final String NEW_PEM = TestKeys.pem(TestKeys.KONTROL.getPublic());

	@TempDir
	Path directory;

	@Test
	void aReSignedKiteKeyIsUsedTrustedAndWritten() throws Exception {
		Path file = this.directory.resolve("kite.key");
		String old = kiteKey(OLD_PEM);
		Files.writeString(file, old + "\n");
		LocalKiteKey local = new LocalKiteKey(KiteKey.parse(old));
		String configured = NEW_PEM.replace("\n", "\r\n"); // another trusted key, kept
		KontrolTrustSource trust = new KontrolTrustSource("kontrol", List.of(OLD_PEM, configured));
		String rotated = kiteKey(NEW_PEM);

		boolean changed = new KontrolKeyRotation(local, trust, file)
			.apply(new RegisterResult("http://h/kite", 0, "", NEW_PEM, rotated));

		assertThat(changed).isTrue();
		assertThat(local.get().orElseThrow().raw()).isEqualTo(rotated);
		assertThat(trust.trustedKeys()).containsExactly(NEW_PEM, configured);
		assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(rotated);
		try (var files = Files.list(this.directory)) {
			assertThat(files).containsExactly(file); // no temporary file left
		}
	}

	@Test
	void aNewPublicKeyAloneReplacesTheTrustedKeyTheKiteKeyNamed() throws Exception {
		String old = kiteKey(OLD_PEM);
		LocalKiteKey local = new LocalKiteKey(KiteKey.parse(old));
		KontrolTrustSource trust = new KontrolTrustSource("kontrol", List.of(OLD_PEM));

		assertThat(new KontrolKeyRotation(local, trust, null)
			.apply(new RegisterResult("http://h/kite", 0, "", NEW_PEM, ""))).isTrue();

		assertThat(local.get().orElseThrow().raw()).isEqualTo(old);
		assertThat(trust.trustedKeys()).containsExactly(NEW_PEM);
	}

	@Test
	void nothingAnnouncedChangesNothing() throws Exception {
		Path file = this.directory.resolve("kite.key");
		String old = kiteKey(OLD_PEM);
		Files.writeString(file, old);
		LocalKiteKey local = new LocalKiteKey(KiteKey.parse(old));
		KontrolTrustSource trust = new KontrolTrustSource("kontrol", List.of(OLD_PEM));

		assertThat(new KontrolKeyRotation(local, trust, file).apply(new RegisterResult("http://h/kite", 0, "", "", "")))
			.isFalse();

		assertThat(local.get().orElseThrow().raw()).isEqualTo(old);
		assertThat(trust.trustedKeys()).containsExactly(OLD_PEM);
		assertThat(Files.readString(file)).isEqualTo(old);
	}

	@Test
	void aMalformedKiteKeyChangesNothing() throws Exception {
		String old = kiteKey(OLD_PEM);
		LocalKiteKey local = new LocalKiteKey(KiteKey.parse(old));
		KontrolTrustSource trust = new KontrolTrustSource("kontrol", List.of(OLD_PEM));

		assertThatIllegalArgumentException().isThrownBy(() -> new KontrolKeyRotation(local, trust, null)
			.apply(new RegisterResult("http://h/kite", 0, "", NEW_PEM, "not-a-jwt")));

		assertThat(local.get().orElseThrow().raw()).isEqualTo(old);
		assertThat(trust.trustedKeys()).containsExactly(OLD_PEM);
	}

	@Test
	void anUnwritableKeyFileKeepsTheRotatedKeyInMemory() throws Exception {
		Path file = this.directory.resolve("missing-directory").resolve("kite.key");
		LocalKiteKey local = new LocalKiteKey(KiteKey.parse(kiteKey(OLD_PEM)));
		String rotated = kiteKey(NEW_PEM);

		new KontrolKeyRotation(local, null, file).apply(new RegisterResult("http://h/kite", 0, "", NEW_PEM, rotated));

		assertThat(local.get().orElseThrow().raw()).isEqualTo(rotated);
		assertThat(file).doesNotExist();
	}

	private static String kiteKey(String kontrolKey) throws ParseException {
		return TestKeys.rsaJwt(JWSAlgorithm.RS256, TestKeys.KONTROL,
				TestKeys.claims("iss", "kontrol", "sub", "alice", "jti", java.util.UUID.randomUUID().toString(),
						"kontrolURL", "http://kontrol/kite", "kontrolKey", kontrolKey, "iat", TestKeys.NOW));
	}

}
