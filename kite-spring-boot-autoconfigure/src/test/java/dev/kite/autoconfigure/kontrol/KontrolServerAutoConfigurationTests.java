package dev.kite.autoconfigure.kontrol;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.KiteKeys;
import dev.kite.auth.trust.KontrolTrustSource;
import dev.kite.autoconfigure.KiteAutoConfiguration;
import dev.kite.autoconfigure.KiteServerAutoConfiguration;
import dev.kite.kontrol.Kontrol;
import dev.kite.kontrol.KontrolKeys;
import dev.kite.kontrol.store.KeyPairStore;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.kontrol.store.KontrolKeyPair;
import dev.kite.kontrol.store.jdbc.PostgresKeyPairStore;
import dev.kite.kontrol.store.jdbc.PostgresKiteStore;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KontrolServerAutoConfiguration}: off by default, keys generated into and reused
 * from {@code key-dir}, existing key files, failures naming the property, absent without
 * kite-kontrol.
 */
@ExtendWith(OutputCaptureExtension.class)
class KontrolServerAutoConfigurationTests {

	private final WebApplicationContextRunner web = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KiteAutoConfiguration.class,
				KiteServerAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				KontrolServerAutoConfiguration.class));

	@TempDir
	Path dir;

	private WebApplicationContextRunner enabled(Path keyDir) {
		return this.web.withPropertyValues("kite.kontrol.server.enabled=true", "kite.kontrol.server.key-dir=" + keyDir);
	}

	@Test
	void offByDefault() {
		this.web.withPropertyValues("kite.kontrol.server.key-dir=" + this.dir).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(Kontrol.class).doesNotHaveBean(KontrolKeyPair.class);
			assertThat(context).doesNotHaveBean(KontrolServerAutoConfiguration.ENDPOINT_HANDLER_MAPPING_BEAN_NAME);
		});
		assertThat(this.dir).isEmptyDirectory();
	}

	@Test
	void absentWithoutKiteKontrolOnTheClassPath() {
		enabled(this.dir).withClassLoader(new FilteredClassLoader(Kontrol.class)).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(KontrolServerProperties.class);
			assertThat(context).doesNotHaveBean(KontrolServerAutoConfiguration.ENDPOINT_HANDLER_MAPPING_BEAN_NAME)
				.doesNotHaveBean(KontrolServerAutoConfiguration.HTTP_HANDLER_MAPPING_BEAN_NAME);
		});
		assertThat(this.dir).isEmptyDirectory();
	}

	@Test
	void firstStartGeneratesTheKeyPairAndAKiteKeyTheNextStartReuses(CapturedOutput output) throws Exception {
		Path keyDir = this.dir.resolve("nested/kontrol");
		String[] firstPublicKey = new String[1];
		enabled(keyDir).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(Kontrol.class);
			Kontrol kontrol = context.getBean(Kontrol.class);
			assertThat(kontrol.kite().username()).isEqualTo("kontrol");
			firstPublicKey[0] = kontrol.selfKeyPair().publicKey();
			assertThat(Files.readString(keyDir.resolve("kontrol.pub")).strip()).isEqualTo(firstPublicKey[0]);
			assertThat(KontrolKeys.parsePrivateKey(Files.readString(keyDir.resolve("kontrol.pem")))).isNotNull();
			KiteKey kiteKey = KiteKeys.load(null, keyDir.resolve("kite.key")).orElseThrow();
			assertThat(kiteKey.username()).isEqualTo("kontrol");
			assertThat(kiteKey.kontrolUser()).isEqualTo("kontrol");
			assertThat(kiteKey.kontrolKey()).isEqualTo(firstPublicKey[0]);
			assertThat(kiteKey.kontrolUrl()).isEqualTo("http://localhost:8080/kontrol");
			KiteMethodRegistry kontrolMethods = context
				.getBean(KontrolServerAutoConfiguration.METHOD_REGISTRY_BEAN_NAME, KiteMethodRegistry.class);
			assertThat(kontrolMethods.methods()).extracting("name")
				.contains("register", "getKites", "getToken", "getKey", "registerMachine", "cancelWatcher", "kite.ping",
						"kite.heartbeat");
			// The application's own kite endpoint serves only the application's methods.
			assertThat(context.getBean(KiteMethodRegistry.class).find("register")).isNull();
			// An application with an embedded Kontrol trusts it.
			KontrolTrustSource trust = context.getBean(KontrolTrustSource.class);
			assertThat(trust.get().kontrolUser()).isEqualTo("kontrol");
			assertThat(trust.trustedKeys()).containsExactly(firstPublicKey[0]);
		});
		String kiteKeyFile = Files.readString(keyDir.resolve("kite.key"));
		enabled(keyDir).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Kontrol.class).selfKeyPair().publicKey()).isEqualTo(firstPublicKey[0]);
		});
		assertThat(Files.readString(keyDir.resolve("kite.key"))).isEqualTo(kiteKeyFile);
		assertThat(output).doesNotContain(privateKeyLine(keyDir.resolve("kontrol.pem")));
	}

	@Test
	void kontrolsEndpointHasTheServerLimitsAndDrainsItsCallsBeforeClosing() {
		enabled(this.dir).withPropertyValues("kite.server.limits.max-in-flight-calls=7").run((context) -> {
			assertThat(context).hasNotFailed();
			KiteDispatcher dispatcher = context.getBean(KontrolServerAutoConfiguration.DISPATCHER_BEAN_NAME,
					KiteDispatcher.class);
			assertThat(dispatcher.limits().maxInFlightCalls()).isEqualTo(7);
			SmartLifecycle lifecycle = context.getBean(KontrolServerAutoConfiguration.LIFECYCLE_BEAN_NAME,
					SmartLifecycle.class);
			assertThat(lifecycle.isRunning()).isTrue();
			assertThat(dispatcher.drain().tryEnter()).isTrue(); // a call in flight
			AtomicInteger stopped = new AtomicInteger();
			lifecycle.stop(stopped::incrementAndGet);
			assertThat(lifecycle.isRunning()).isFalse();
			assertThat(dispatcher.drain().tryEnter()).as("new calls are refused while draining").isFalse();
			assertThat(stopped).as("waits for the call in flight").hasValue(0);
			dispatcher.drain().exit();
			assertThat(stopped).hasValue(1);
		});
	}

	@Test
	void usernameAndUrlComeFromProperties() {
		enabled(this.dir)
			.withPropertyValues("kite.username=devrim", "kite.kontrol.server.public-url=https://kontrol.example/kite")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				KiteKey kiteKey = KiteKeys.load(null, this.dir.resolve("kite.key")).orElseThrow();
				assertThat(kiteKey.username()).isEqualTo("devrim");
				assertThat(kiteKey.kontrolUser()).isEqualTo("devrim");
				assertThat(kiteKey.kontrolUrl()).isEqualTo("https://kontrol.example/kite");
			});
	}

	@Test
	void existingKeyFilesAreUsed() throws Exception {
		KontrolKeyPair pair = KontrolKeys.generate();
		Path publicKey = Files.writeString(this.dir.resolve("go.pub"), pair.publicKey() + "\n");
		Path privateKey = Files.writeString(this.dir.resolve("go.pem"), pair.privateKey() + "\n");
		Path keyDir = this.dir.resolve("home");
		enabled(keyDir)
			.withPropertyValues("kite.kontrol.server.public-key-file=" + publicKey,
					"kite.kontrol.server.private-key-file=" + privateKey)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Kontrol.class).selfKeyPair().publicKey()).isEqualTo(pair.publicKey());
				assertThat(KiteKeys.load(null, keyDir.resolve("kite.key")).orElseThrow().kontrolKey())
					.isEqualTo(pair.publicKey());
			});
		assertThat(keyDir.resolve("kontrol.pub")).doesNotExist();
		assertThat(keyDir.resolve("kontrol.pem")).doesNotExist();
	}

	@Test
	void unreadableOrWrongKeyFilesFailNamingTheProperty() throws Exception {
		KontrolKeyPair pair = KontrolKeys.generate();
		KontrolKeyPair other = KontrolKeys.generate();
		Path publicKey = Files.writeString(this.dir.resolve("k.pub"), pair.publicKey());
		Path privateKey = Files.writeString(this.dir.resolve("k.pem"), pair.privateKey());
		Path otherPrivateKey = Files.writeString(this.dir.resolve("other.pem"), other.privateKey());
		Path garbage = Files.writeString(this.dir.resolve("garbage.pem"), "not a key");
		Path missing = this.dir.resolve("missing.pub");
		Path keyDir = this.dir.resolve("home");
		assertFailure(enabled(keyDir), "kite.kontrol.server.public-key-file",
				"kite.kontrol.server.public-key-file=" + missing, "kite.kontrol.server.private-key-file=" + privateKey);
		assertFailure(enabled(keyDir), "kite.kontrol.server.public-key-file",
				"kite.kontrol.server.public-key-file=" + garbage, "kite.kontrol.server.private-key-file=" + privateKey);
		assertFailure(enabled(keyDir), "kite.kontrol.server.private-key-file",
				"kite.kontrol.server.public-key-file=" + publicKey, "kite.kontrol.server.private-key-file=" + garbage);
		assertFailure(enabled(keyDir), "kite.kontrol.server.private-key-file",
				"kite.kontrol.server.public-key-file=" + publicKey,
				"kite.kontrol.server.private-key-file=" + otherPrivateKey);
		assertFailure(enabled(keyDir), "kite.kontrol.server.private-key-file",
				"kite.kontrol.server.public-key-file=" + publicKey);
		assertThat(keyDir).doesNotExist();
	}

	@Test
	void keyDirThatCannotBeCreatedFailsNamingIt() throws Exception {
		Path file = Files.writeString(this.dir.resolve("a-file"), "x");
		assertFailure(enabled(file.resolve("kontrol")), "kite.kontrol.server.key-dir");
	}

	@Test
	void keyDirWithHalfAPairFailsNamingIt() throws Exception {
		Files.writeString(this.dir.resolve("kontrol.pub"), KontrolKeys.generate().publicKey());
		assertFailure(enabled(this.dir), "kite.kontrol.server.key-dir");
	}

	@Test
	void badSettingsFailNamingTheProperty() {
		assertFailure(enabled(this.dir), "kite.kontrol.server.public-url",
				"kite.kontrol.server.public-url=localhost:6000/kite");
		assertFailure(enabled(this.dir), "kite.kontrol.server.path", "kite.kontrol.server.path=/kite");
		assertFailure(enabled(this.dir), "kite.kontrol.server.path", "kite.kontrol.server.path=kontrol/");
		// postgres without a DataSource
		assertFailure(enabled(this.dir), "kite.kontrol.server.storage", "kite.kontrol.server.storage=postgres");
	}

	@Test
	void postgresStorageUsesTheGoSchemaInTheApplicationsDataSource() throws Exception {
		try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
			DataSource dataSource = postgres.getPostgresDatabase();
			enabled(this.dir).withPropertyValues("kite.kontrol.server.storage=postgres")
				.withBean(DataSource.class, () -> dataSource)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(KiteStore.class)).isInstanceOf(PostgresKiteStore.class);
					assertThat(context.getBean(KeyPairStore.class)).isInstanceOf(PostgresKeyPairStore.class);
					KontrolKeyPair self = context.getBean(Kontrol.class).selfKeyPair();
					try (Connection connection = dataSource.getConnection();
							ResultSet keys = connection.createStatement()
								.executeQuery("SELECT count(*) FROM kite.key WHERE id = '" + self.id() + "'")) {
						keys.next();
						assertThat(keys.getInt(1)).as("Kontrol's key pair is in Go's kite.key table").isOne();
					}
				});
		}
	}

	@Test
	void kontrolAtTheKitePathWhenTheKiteEndpointIsOff() {
		enabled(this.dir).withPropertyValues("kite.server.enabled=false", "kite.kontrol.server.path=/kite")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasBean(KontrolServerAutoConfiguration.ENDPOINT_HANDLER_MAPPING_BEAN_NAME)
					.doesNotHaveBean("kiteMethodRegistry")
					.doesNotHaveBean("kiteEndpointHandlerMapping");
				assertThat(KontrolServerAutoConfiguration.httpBase("/kite")).isEmpty();
			});
	}

	private static void assertFailure(WebApplicationContextRunner runner, String property, String... properties) {
		runner.withPropertyValues(properties).run((AssertableWebApplicationContext context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.extracting("name")
				.isEqualTo(property);
		});
	}

	/** A line from the middle of a PEM private key, to look for in the logs. */
	private static String privateKeyLine(Path pem) throws Exception {
		String line = Files.readAllLines(pem, StandardCharsets.UTF_8).get(3);
		assertThat(Base64.getDecoder().decode(line)).isNotEmpty();
		return line;
	}

}
