package dev.kite.auth.key;

import dev.kite.auth.TestKeys;
import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.KiteKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.kite.auth.TestKeys.KONTROL;
import static dev.kite.auth.TestKeys.claims;
import static dev.kite.auth.TestKeys.pem;
import static dev.kite.auth.TestKeys.rsaJwt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class KiteKeysTests {

	@TempDir
	Path dir;

	private static String key(String sub) {
		return rsaJwt(JWSAlgorithm.RS256, KONTROL, claims("jti", "id-" + sub, "iat", TestKeys.NOW, "iss", "kontrol",
				"sub", sub, "kontrolKey", pem(KONTROL.getPublic()), "kontrolURL", "http://kontrol:4000/kite"));
	}

	private Path write(String relative, String content) throws IOException {
		Path file = this.dir.resolve(relative);
		Files.createDirectories(file.getParent());
		return Files.writeString(file, content);
	}

	private static Function<String, String> env(Map<String, String> vars) {
		return vars::get;
	}

	@Test
	void parsesTheClaimsAKiteConfiguresItselfFrom() throws Exception {
		KiteKey key = KiteKey.parse("  " + key("devrim") + "\n");
		assertThat(key.username()).isEqualTo("devrim");
		assertThat(key.kontrolUser()).isEqualTo("kontrol");
		assertThat(key.id()).isEqualTo("id-devrim");
		assertThat(key.kontrolUrl()).isEqualTo("http://kontrol:4000/kite");
		assertThat(key.kontrolKey()).isEqualTo(pem(KONTROL.getPublic()));
		assertThat(key.raw()).isEqualTo(key("devrim").strip()).doesNotStartWith(" ");
		assertThat(key.toString()).doesNotContain(key.raw().split("\\.")[2]).contains("devrim");
	}

	@Test
	void inlineKeyWinsOverEverything() throws Exception {
		Path file = write("explicit/kite.key", key("from-file"));
		write("kitehome/kite.key", key("from-kite-home"));
		Optional<KiteKey> key = KiteKeys.load(key("inline"), file,
				env(Map.of("KITE_HOME", this.dir.resolve("kitehome").toString())), this.dir);
		assertThat(key).map(KiteKey::username).hasValue("inline");
	}

	@Test
	void blankInlineKeyIsIgnored() throws Exception {
		Path file = write("explicit/kite.key", key("from-file"));
		assertThat(KiteKeys.load("  ", file, env(Map.of()), this.dir)).map(KiteKey::username).hasValue("from-file");
	}

	@Test
	void explicitFileWinsOverKiteHome() throws Exception {
		Path file = write("explicit/kite.key", "\n" + key("from-file") + "\n\n");
		write("kitehome/kite.key", key("from-kite-home"));
		assertThat(
				KiteKeys.load(null, file, env(Map.of("KITE_HOME", this.dir.resolve("kitehome").toString())), this.dir))
			.map(KiteKey::username)
			.hasValue("from-file");
	}

	@Test
	void kiteHomeWinsOverUserHome() throws Exception {
		write("kitehome/kite.key", key("from-kite-home"));
		write("home/.kite/kite.key", key("from-home"));
		assertThat(KiteKeys.load(null, null, env(Map.of("KITE_HOME", this.dir.resolve("kitehome").toString())),
				this.dir.resolve("home")))
			.map(KiteKey::username)
			.hasValue("from-kite-home");
	}

	@Test
	void userHomeIsUsedWhenKiteHomeIsUnsetOrEmpty() throws Exception {
		write("home/.kite/kite.key", key("from-home"));
		assertThat(KiteKeys.load(null, null, env(Map.of()), this.dir.resolve("home"))).map(KiteKey::username)
			.hasValue("from-home");
		assertThat(KiteKeys.load(null, null, env(Map.of("KITE_HOME", "")), this.dir.resolve("home")))
			.map(KiteKey::username)
			.hasValue("from-home");
	}

	@Test
	void kiteHomeWithoutKeyDoesNotFallBackToUserHome() throws Exception {
		write("home/.kite/kite.key", key("from-home"));
		assertThat(KiteKeys.load(null, null, env(Map.of("KITE_HOME", this.dir.resolve("empty").toString())),
				this.dir.resolve("home")))
			.isEmpty();
	}

	@Test
	void noKeyAnywhereIsEmpty() {
		assertThat(KiteKeys.load(null, null, env(Map.of()), this.dir)).isEmpty();
		assertThat(KiteKeys.load(null, null, env(Map.of()), null)).isEmpty();
	}

	@Test
	void missingExplicitFileIsAnError() {
		Path missing = this.dir.resolve("nope/kite.key");
		assertThatIllegalStateException().isThrownBy(() -> KiteKeys.load(null, missing, env(Map.of()), this.dir))
			.withMessage("Kite key file " + missing + " does not exist");
	}

	@Test
	void malformedInlineKeyNamesTheProperty() {
		assertThatIllegalStateException()
			.isThrownBy(() -> KiteKeys.load("not-a-jwt-secret", null, env(Map.of()), this.dir))
			.withMessageStartingWith("Malformed kite key in property kite.key: ")
			.withMessageNotContaining("not-a-jwt-secret");
	}

	@Test
	void malformedFileNamesThePath() throws Exception {
		Path file = write("home/.kite/kite.key", "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln");
		assertThatIllegalStateException()
			.isThrownBy(() -> KiteKeys.load(null, null, env(Map.of()), this.dir.resolve("home")))
			.withMessageStartingWith("Malformed kite key in " + file + ": ");
		Path empty = write("empty.key", "  \n");
		assertThatIllegalStateException().isThrownBy(() -> KiteKeys.load(null, empty, env(Map.of()), this.dir))
			.withMessage("Malformed kite key in " + empty + ": it is empty");
	}

	@Test
	void defaultFileFollowsGo() {
		assertThat(KiteKeys.defaultFile(env(Map.of("KITE_HOME", "/opt/kite")), Path.of("/home/u")))
			.isEqualTo(Path.of("/opt/kite/kite.key"));
		assertThat(KiteKeys.defaultFile(env(Map.of()), Path.of("/home/u")))
			.isEqualTo(Path.of("/home/u/.kite/kite.key"));
	}

}
