package dev.kite.autoconfigure.security;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.kite.auth.trust.KontrolTrustSource;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.autoconfigure.KiteAutoConfiguration;
import dev.kite.protocol.Kite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class KiteKeyConfigurationTests {

	private static final KontrolKeys KONTROL = new KontrolKeys();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KiteAutoConfiguration.class));

	@Test
	void kiteKeyProvidesUsernameAndTrustedKontrolLikeGo() {
		this.runner.withPropertyValues("kite.key=" + KONTROL.kiteKey("devrim")).run((context) -> {
			Kite kite = context.getBean(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME, Kite.class);
			assertThat(kite.username()).isEqualTo("devrim");
			KontrolTrustSource trust = context.getBean(KontrolTrustSource.class);
			assertThat(trust.get().kontrolUser()).isEqualTo("kontrol");
			assertThat(trust.trustedKeys()).containsExactly(KONTROL.publicPem);
			assertThat(context.getBean(LocalKiteKey.class).get()).get()
				.satisfies((key) -> assertThat(key.kontrolUrl()).isEqualTo("http://127.0.0.1:4000/kite"));
		});
	}

	@Test
	void propertiesOverrideTheKiteKeysClaims() {
		KontrolKeys other = new KontrolKeys();
		this.runner
			.withPropertyValues("kite.key=" + KONTROL.kiteKey("devrim"), "kite.username=ops",
					"kite.kontrol.user=registry", "kite.kontrol.key=" + other.publicPem)
			.run((context) -> {
				assertThat(context.getBean(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME, Kite.class).username())
					.isEqualTo("ops");
				assertThat(context.getBean(KontrolTrustSource.class).get().kontrolUser()).isEqualTo("registry");
				assertThat(context.getBean(KontrolTrustSource.class).trustedKeys()).containsExactly(other.publicPem);
			});
	}

	@Test
	void kiteKeyFileIsRead(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("kite.key");
		Files.writeString(file, "\n  " + KONTROL.kiteKey("fiona") + "\n");
		this.runner.withPropertyValues("kite.key-file=" + file)
			.run((context) -> assertThat(
					context.getBean(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME, Kite.class).username())
				.isEqualTo("fiona"));
	}

	@Test
	void malformedInlineKeyFailsNamingThePropertyWithoutPrintingIt() {
		this.runner.withPropertyValues("kite.key=eyJhbGciOiJub25lIn0.garbage.x")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("kite.key")
				.hasMessageNotContaining("garbage"));
	}

	@Test
	void missingConfiguredKeyFileFailsNamingIt(@TempDir Path dir) {
		Path missing = dir.resolve("nope.key");
		this.runner.withPropertyValues("kite.key-file=" + missing)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("kite.key-file")
				.hasMessageContaining(missing.toString()));
	}

	@Test
	void kontrolKeyMustBeAnRsaPublicKey() {
		this.runner.withPropertyValues("kite.kontrol.key=not a key")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("kite.kontrol.key"));
	}

	@Test
	void noKeyAnywhereIsFine(@TempDir Path home) {
		this.runner.withSystemProperties("user.home=" + home).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(LocalKiteKey.class).get()).isEmpty();
			assertThat(context.getBean(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME, Kite.class).username())
				.isEqualTo("unknown");
		});
	}

}
