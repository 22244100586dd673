package dev.kite.kontrol.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.KiteKeys;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.kontrol.Kontrol;
import dev.kite.protocol.Auth;
import dev.kite.protocol.GetKitesArgs;
import dev.kite.protocol.GetKitesResult;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KontrolQuery;
import dev.kite.protocol.RegisterArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone application: Kontrol at {@code /kite}, {@code /register} and
 * {@code /heartbeat} at the root, and a {@code kite.key} in the key directory that a kite
 * registers with, as a Go kite with {@code KITE_HOME} set to that directory would.
 */
@SpringBootTest(classes = KontrolServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = "server.port=0")
class KontrolServerApplicationTests {

	@TempDir
	static Path keyDir;

	@DynamicPropertySource
	static void keyDir(DynamicPropertyRegistry registry) {
		registry.add("kite.kontrol.server.key-dir", () -> keyDir.toString());
	}

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@Test
	void servesKontrolAtKiteWithItsHttpEndpointsAtTheRoot() throws Exception {
		assertThat(this.context.getBeansOfType(Kontrol.class)).hasSize(1);
		assertThat(this.context.containsBean("kiteEndpointHandlerMapping")).isFalse();
		assertThat(get("/kite/info").statusCode()).isEqualTo(200);
		assertThat(get("/heartbeat?id=" + Kite.newId()).body()).isEqualTo("registeragain");
		assertThat(get("/heartbeat").statusCode()).isEqualTo(400);
	}

	@Test
	void aKiteRegistersWithTheKiteKeyWrittenToTheKeyDirectory() throws Exception {
		KiteKey kiteKey = KiteKeys.load(null, keyDir.resolve("kite.key")).orElseThrow();
		assertThat(kiteKey.username()).isEqualTo("kontrol");
		assertThat(kiteKey.kontrolKey()).isEqualTo(this.context.getBean(Kontrol.class).selfKeyPair().publicKey());
		Kite kite = new Kite("math", "kontrol", Kite.newId(), "test", "unknown", "1.0.0", "localhost");
		try (KiteClientFactory factory = KiteClientFactory.builder().build()) {
			KiteConnection connection = factory
				.create(KiteClientOptions.builder("http://127.0.0.1:" + this.port + "/kite")
					.auth(new Auth(Auth.KITE_KEY, kiteKey.raw()))
					.kite(kite)
					.reconnect(false)
					.build());
			connection.connect().get(10, TimeUnit.SECONDS);
			connection.method("register").args(new RegisterArgs("http://127.0.0.1:3636/kite", null, null)).await();
			GetKitesResult found = connection.method("getKites")
				.args(new GetKitesArgs(new KontrolQuery("kontrol", "test", "math", "", "", "", ""), null, null))
				.await(GetKitesResult.class);
			assertThat(found).isNotNull();
			assertThat(found.kites()).singleElement().satisfies((match) -> {
				assertThat(match.kite().id()).isEqualTo(kite.id());
				assertThat(match.url()).isEqualTo("http://127.0.0.1:3636/kite");
			});
		}
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
