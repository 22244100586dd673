package dev.kite.autoconfigure.kontrol;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.kite.annotation.KiteMethod;
import dev.kite.autoconfigure.KiteAutoConfiguration;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.kontrol.Kontrol;
import dev.kite.protocol.Auth;
import dev.kite.protocol.GetKitesArgs;
import dev.kite.protocol.GetKitesResult;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.KiteWithToken;
import dev.kite.protocol.KontrolQuery;
import dev.kite.protocol.RegisterArgs;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An application with an embedded Kontrol ({@code kite.kontrol.server.enabled=true}),
 * behind Spring Security: a kite registers the application's own URL over dnode, another
 * finds it with {@code getKites} and calls the application's authenticated method with
 * the token Kontrol issued; the HTTP endpoints answer with Go's bodies.
 */
@SpringBootTest(classes = EmbeddedKontrolEndToEndTests.KontrolApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "kite.kontrol.server.enabled=true",
				"kite.name=math", "kite.username=alice", "kite.environment=test" })
class EmbeddedKontrolEndToEndTests {

	@TempDir
	static Path keyDir;

	@DynamicPropertySource
	static void keyDir(DynamicPropertyRegistry registry) {
		registry.add("kite.kontrol.server.key-dir", () -> keyDir.toString());
	}

	@LocalServerPort
	int port;

	@Autowired
	Kontrol kontrol;

	@Autowired
	@Qualifier(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME)
	Kite localKite;

	@Autowired
	KiteDispatcher dispatcher;

	private KiteClientFactory factory;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@AfterEach
	void closeFactory() {
		if (this.factory != null) {
			this.factory.close();
		}
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	private KiteConnection connect(String url, Auth auth, Kite kite) throws Exception {
		if (this.factory == null) {
			// The application's dispatcher answers Kontrol's kite.heartbeat on dialed
			// connections, as in a kite application.
			this.factory = KiteClientFactory.builder().dispatcher(this.dispatcher).build();
		}
		KiteConnection connection = this.factory
			.create(KiteClientOptions.builder(url).auth(auth).kite(kite).reconnect(false).build());
		connection.connect().get(10, TimeUnit.SECONDS);
		return connection;
	}

	@Test
	void registeredKiteIsFoundWithATokenItsServerAccepts() throws Exception {
		String appUrl = url("/kite");
		KiteConnection registering = connect(url("/kontrol"),
				new Auth(Auth.KITE_KEY, this.kontrol.issueKiteKey("alice")), this.localKite);
		JsonNode registered = registering.method("register").args(new RegisterArgs(appUrl, null, null)).await();
		assertThat(registered.get("url").stringValue()).isEqualTo(appUrl);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.kontrol.isHeartbeatActive(this.localKite.id()));

		Kite bob = new Kite("caller", "bob", Kite.newId(), "test", "unknown", "1.0.0", "localhost");
		KiteConnection finder = connect(url("/kontrol"), new Auth(Auth.KITE_KEY, this.kontrol.issueKiteKey("bob")),
				bob);
		GetKitesResult found = finder.method("getKites")
			.args(new GetKitesArgs(new KontrolQuery("alice", "test", "math", "", "", "", ""), null, null))
			.await(GetKitesResult.class);
		assertThat(found).isNotNull();
		assertThat(found.kites()).hasSize(1);
		KiteWithToken math = found.kites().get(0);
		assertThat(math.kite().id()).isEqualTo(this.localKite.id());
		assertThat(math.url()).isEqualTo(appUrl);
		assertThat(math.token()).isNotEmpty();

		KiteConnection withToken = connect(math.url(), new Auth(Auth.TOKEN, math.token()), bob);
		assertThat(withToken.method("whoAmI").await(String.class)).isEqualTo("bob");
		KiteConnection forged = connect(math.url(), new Auth(Auth.TOKEN, this.kontrol.issueKiteKey("bob")), bob);
		assertThatExceptionOfType(KiteException.class).isThrownBy(() -> forged.method("whoAmI").await(String.class))
			.satisfies((ex) -> assertThat(ex.error().type()).isEqualTo("authenticationError"));
	}

	@Test
	void httpRegisterAndHeartbeatAnswerAsGoDoes() throws Exception {
		Kite kite = new Kite("web", "alice", Kite.newId(), "test", "unknown", "1.0.0", "localhost");
		String body = KiteClientFactory.defaultObjectMapper()
			.writeValueAsString(new RegisterArgs("http://10.0.0.5:3636/kite", kite,
					new Auth(Auth.KITE_KEY, this.kontrol.issueKiteKey("alice"))));
		HttpResponse<String> registered = post("/kontrol/register", body);
		assertThat(registered.statusCode()).isEqualTo(200);
		assertThat(registered.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
		assertThat(registered.body()).isEqualTo("{\"url\":\"http://10.0.0.5:3636/kite\",\"heartbeatInterval\":10}\n");

		assertThat(get("/kontrol/heartbeat?id=" + kite.id())).satisfies((response) -> {
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("pong");
		});
		assertThat(get("/kontrol/heartbeat?id=" + Kite.newId()).body()).isEqualTo("registeragain");
		assertThat(get("/kontrol/heartbeat")).satisfies((response) -> {
			assertThat(response.statusCode()).isEqualTo(400);
			assertThat(response.body()).isEqualTo("query id is empty\n");
		});

		assertThat(post("/kontrol/register",
				"{\"url\":\"http://x/kite\"," + "\"kite\":"
						+ KiteClientFactory.defaultObjectMapper().writeValueAsString(kite)
						+ ",\"auth\":{\"type\":\"kiteKey\",\"key\":\"not.a.jwt\"}}"))
			.satisfies((response) -> {
				assertThat(response.statusCode()).isEqualTo(401);
				assertThat(response.body()).startsWith("{\"err\":").endsWith("}\n");
			});
		assertThat(post("/kontrol/register", "x".repeat(64 * 1024 + 1)).statusCode()).isEqualTo(413);
		assertThat(get("/kontrol/register").statusCode()).isEqualTo(405);
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url(path)))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(
				HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(KontrolApplication.Methods.class)
	static class KontrolApplication {

		@Component
		static class Methods {

			@KiteMethod(value = "whoAmI", authenticated = true)
			public String whoAmI(KiteRequest request) {
				return request.username();
			}

		}

	}

}
