package dev.kite.kontrol.server;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.KiteKeys;
import dev.kite.kontrol.KontrolKeys;
import dev.kite.kontrol.store.KontrolKeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code java -jar kite-kontrol-server.jar kite-key USERNAME}: an operator mints a kite
 * key with the Kontrol's key pair, without starting a server.
 */
@ExtendWith(OutputCaptureExtension.class)
class KiteKeyCommandTests {

	@TempDir
	Path keyDir;

	@Test
	void printsAKiteKeyForTheUserSignedWithTheKontrolsKeyPair(CapturedOutput output) throws Exception {
		KontrolKeyPair pair = KontrolKeys.generate();
		Files.writeString(this.keyDir.resolve("kontrol.pub"), pair.publicKey() + "\n");
		Files.writeString(this.keyDir.resolve("kontrol.pem"), pair.privateKey() + "\n");

		int exit = KontrolServerApplication.kiteKey("kite-key", "alice",
				"--kite.kontrol.server.key-dir=" + this.keyDir);

		assertThat(exit).isZero();
		String printed = output.getOut().strip();
		String jwt = printed.substring(printed.lastIndexOf('\n') + 1).strip();
		Path file = Files.writeString(this.keyDir.resolve("alice.key"), jwt);
		KiteKey key = KiteKeys.load(null, file).orElseThrow();
		assertThat(key.username()).isEqualTo("alice");
		assertThat(key.kontrolUser()).isEqualTo("kontrol");
		assertThat(key.kontrolKey()).isEqualTo(pair.publicKey());
		assertThat(key.kontrolUrl()).isEqualTo("http://localhost:6000/kite");
		assertThat(output.getOut()).doesNotContain("PRIVATE KEY");
	}

	@Test
	void refusesToMakeAKeyPair() {
		assertThatIllegalStateException()
			.isThrownBy(() -> KontrolServerApplication.kiteKey("kite-key", "alice",
					"--kite.kontrol.server.key-dir=" + this.keyDir))
			.withMessageContaining("No Kontrol key pair in " + this.keyDir);
		assertThat(this.keyDir).isEmptyDirectory();
	}

}
