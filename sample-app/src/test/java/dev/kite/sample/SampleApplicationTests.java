package dev.kite.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.autoconfigure.registration.KiteRegistrationLifecycle;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.client.kontrol.KontrolClient;
import dev.kite.client.kontrol.KontrolRegistrationStatus;
import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteWithToken;
import dev.kite.protocol.KontrolQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as it runs: its own {@code math} client calls {@code square}, and
 * {@code GET /demo/square} answers through it; its embedded Kontrol issues the app's kite
 * key, the app registers its {@code math} kite there, and the token Kontrol mints for it
 * is accepted by {@code squareAuth}.
 *
 * <p>
 * Only Kontrol's key directory is overridden (a temporary one instead of
 * {@code ~/.kite/kontrol}). The client's URL names {@code ${local.server.port}}, resolved
 * when the client is first used, so the app on its random port calls itself as it does
 * when run.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	static Path keyDir;

	@DynamicPropertySource
	static void kontrolKeyDir(DynamicPropertyRegistry registry) {
		registry.add("kite.kontrol.server.key-dir", () -> keyDir.toString());
	}

	@LocalServerPort
	int port;

	@Autowired
	MathKiteClient math;

	@Autowired
	KiteClientFactory clients;

	@Autowired
	LocalKiteKey kiteKey;

	@Autowired
	@Qualifier("localKite")
	Kite localKite;

	@Autowired
	KiteRegistrationLifecycle registration;

	@Test
	void squareThroughTheAppsOwnClient() {
		assertThat(this.math.squareNow(5)).isEqualTo(25.0);
		assertThat(this.math.square(3).join()).isEqualTo(9.0);
	}

	@Test
	void demoEndpointAnswersThroughTheClient() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/demo/square?n=4")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"square\":16.0").contains("\"n\":4.0");
	}

	@Test
	void kiteKeyIsIssuedByTheEmbeddedKontrol() throws Exception {
		KiteKey key = this.kiteKey.get().orElseThrow();
		assertThat(key.username()).isEqualTo("kontrol");
		assertThat(key.kontrolUser()).isEqualTo("kontrol");
		// Signed by the pair the embedded Kontrol generated in its key directory.
		assertThat(key.kontrolKey().strip()).isEqualTo(Files.readString(keyDir.resolve("kontrol.pub")).strip());
		assertThat(this.localKite.username()).isEqualTo("kontrol");
		assertThat(this.localKite.environment()).isEqualTo("development");
		assertThat(this.localKite.name()).isEqualTo("math");
	}

	@Test
	void registersWithItsOwnKontrolAndAcceptsTheTokensItMints() throws Exception {
		URI kontrolUrl = URI.create("http://127.0.0.1:" + this.port + "/kontrol");
		Kite finder = new Kite("sample-tests", "", Kite.newId(), "development", "local", "1.0.0", "tests");
		KontrolClient kontrol = KontrolClient.create(this.clients,
				KontrolClient.options(kontrolUrl, finder).reconnect(false).timeout(WAIT).connectTimeout(WAIT).build(),
				this.kiteKey, null);
		KiteConnection caller = null;
		try {
			// The whole identity, the instance id included: this run's kite only.
			KontrolQuery query = KontrolQuery.of(this.localKite);
			await("math registered with the embedded Kontrol").atMost(WAIT)
				.until(() -> getKites(kontrol, query).size() == 1);
			KiteWithToken found = getKites(kontrol, query).get(0);
			assertThat(found.kite()).isEqualTo(this.localKite);
			assertThat(found.url()).startsWith("http://").endsWith(":" + this.port + "/kite");
			assertThat(found.token()).isNotEmpty();

			KontrolRegistrationStatus status = this.registration.status().orElseThrow();
			assertThat(status.state()).isEqualTo(KontrolRegistrationStatus.State.REGISTERED);
			assertThat(status.kontrolUrl()).isEqualTo(kontrolUrl);

			// Dial the registered URL as a kite that found it would, with the token.
			caller = this.clients.create(KiteClientOptions.builder(found.url())
				.auth(new Auth(Auth.TOKEN, found.token()))
				.reconnect(false)
				.timeout(WAIT)
				.connectTimeout(WAIT)
				.build());
			caller.connect().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(caller.method("squareAuth").args(3).await(Double.class)).isEqualTo(9.0);
		}
		finally {
			kontrol.close();
			if (caller != null) {
				caller.close();
			}
		}
	}

	private static List<KiteWithToken> getKites(KontrolClient kontrol, KontrolQuery query) throws Exception {
		return kontrol.getKites(query).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
	}

}
