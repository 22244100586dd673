package dev.kite.test.tester;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import dev.kite.test.app.TestKiteApplication;
import dev.kite.test.autoconfigure.AutoConfigureEmbeddedKontrol;
import dev.kite.test.autoconfigure.AutoConfigureKiteTester;
import dev.kite.test.kontrol.KiteTestKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The credentials {@link KiteTestKeys} mints, as the running kite judges them, and the
 * embedded Kontrol's temporary key directory.
 */
@SpringBootTest(classes = TestKiteApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureKiteTester
@AutoConfigureEmbeddedKontrol
class KiteTestKeysTests {

	@Autowired
	KiteTester tester;

	@Autowired
	KiteTestKeys keys;

	@Autowired
	Environment environment;

	@Test
	void validTokenIsAccepted() {
		assertThat(this.keys.audience()).isEqualTo("/kontrol/test/testkite");
		this.tester.withToken(this.keys.token()).call("whoami").result(String.class).isEqualTo("test");
		this.tester.withToken(this.keys.token("/kontrol", "bob")).call("whoami").result(String.class).isEqualTo("bob");
	}

	@Test
	void expiredTokenIsRefused() {
		this.tester.withToken(this.keys.expiredToken())
			.call("whoami")
			.error()
			.hasType("authenticationError")
			.messageContains("token is expired by");
	}

	@Test
	void tokenNotValidYetIsRefused() {
		String future = this.keys.token(this.keys.audience(), "test", Instant.now().plusSeconds(3600));
		this.tester.withToken(future).call("whoami").error().hasType("authenticationError");
	}

	@Test
	void wrongAudienceTokenIsRefused() {
		this.tester.withToken(this.keys.wrongAudienceToken())
			.call("whoami")
			.error()
			.hasType("authenticationError")
			.messageContains("audience: username \"other-kontrol\" not allowed");
	}

	@Test
	void forgedTokenIsRefused() {
		// Go reports a bad signature as an expired token, so that callers renew.
		this.tester.withToken(this.keys.forgedToken())
			.call("whoami")
			.error()
			.hasType("authenticationError")
			.messageContains("token is expired");
	}

	@Test
	void kiteKeysAreAcceptedUnlessForged() {
		this.tester.withKiteKey(this.keys.kiteKey("alice")).call("whoami").result(String.class).isEqualTo("alice");
		this.tester.withKiteKey(this.keys.forgedKiteKey("mallory"))
			.call("whoami")
			.error()
			.hasType("authenticationError");
	}

	@Test
	void kontrolKeysLiveInATemporaryDirectory() throws Exception {
		Path keyDir = Path.of(this.environment.getRequiredProperty("kite.kontrol.server.key-dir"));
		assertThat(keyDir.toRealPath()).startsWith(Path.of(System.getProperty("java.io.tmpdir")).toRealPath());
		assertThat(keyDir.getFileName().toString()).startsWith("kite-test-kontrol-");
		assertThat(Files.readString(keyDir.resolve("kontrol.pub")).strip())
			.isEqualTo(this.keys.kontrolPublicKey().strip());
		assertThat(this.keys.kontrolUser()).isEqualTo("kontrol");
	}

}
