package dev.kite.autoconfigure.registration;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.kite.annotation.KiteMethod;
import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClients;
import dev.kite.client.KiteConnection;
import dev.kite.client.kontrol.KiteDescriptor;
import dev.kite.client.kontrol.KiteDiscovery;
import dev.kite.client.kontrol.KontrolClient;
import dev.kite.client.kontrol.KontrolRegistrationStatus;
import dev.kite.kontrol.Kontrol;
import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.KiteWithToken;
import dev.kite.protocol.KontrolQuery;
import dev.kite.rpc.KiteRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Registration and discovery end to end: a Kontrol application (the embedded Java Kontrol
 * on an ephemeral port), kite applications that register themselves with it through the
 * lifecycle bean, and a caller whose named client finds them by query, as users'
 * applications would, configured only by properties.
 */
class KiteRegistrationEndToEndTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@TempDir
	Path keyDir;

	private final List<ConfigurableApplicationContext> contexts = new CopyOnWriteArrayList<>();

	private KiteClientFactory factory;

	@AfterEach
	void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		if (this.factory != null) {
			this.factory.close();
		}
	}

	@Test
	void registersOnStartIsFoundAndLeavesAtShutdown() throws Exception {
		ConfigurableApplicationContext kontrolApp = startKontrol(0);
		String kontrolUrl = kontrolUrl(kontrolApp);
		ConfigurableApplicationContext math = startMath(kontrolUrl,
				kontrolApp.getBean(Kontrol.class).issueKiteKey("alice"));
		Events events = math.getBean(Events.class);
		int mathPort = port(math);

		KontrolClient finder = finder(kontrolApp);
		await("math registered").atMost(WAIT).until(() -> !findMath(finder).isEmpty());
		KiteWithToken found = findMath(finder).get(0);
		assertThat(found.url()).isEqualTo("http://127.0.0.1:" + mathPort + "/kite");
		assertThat(found.kite().username()).isEqualTo("alice");
		assertThat(found.token()).isNotEmpty();

		KiteRegistrationLifecycle lifecycle = math.getBean(KiteRegistrationLifecycle.class);
		await("first heartbeat").atMost(WAIT)
			.until(() -> lifecycle.status().map(KontrolRegistrationStatus::lastHeartbeat).isPresent());
		KontrolRegistrationStatus status = lifecycle.status().orElseThrow();
		assertThat(status.state()).isEqualTo(KontrolRegistrationStatus.State.REGISTERED);
		assertThat(status.kontrolUrl()).hasToString(kontrolUrl);
		await("registered event").atMost(WAIT).until(() -> events.registered.size() == 1);
		assertThat(events.registered.get(0).getRegisterUrl()).hasToString(found.url());

		Health health = math.getBean(KontrolHealthIndicator.class).health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("state", "REGISTERED")
			.containsEntry("registerUrl", found.url())
			.containsKey("lastHeartbeat");

		math.close();
		assertThat(events.deregistered).hasSize(1);
		await("math gone from Kontrol").atMost(WAIT).until(() -> findMath(finder).isEmpty());
	}

	@Test
	void aNamedClientWithAQueryFindsCallsWithATokenAndFailsOver() throws Exception {
		ConfigurableApplicationContext kontrolApp = startKontrol(0);
		Kontrol kontrol = kontrolApp.getBean(Kontrol.class);
		String kontrolUrl = kontrolUrl(kontrolApp);
		ConfigurableApplicationContext mathA = startMath(kontrolUrl, kontrol.issueKiteKey("alice"));
		ConfigurableApplicationContext mathB = startMath(kontrolUrl, kontrol.issueKiteKey("alice"));
		KontrolClient finder = finder(kontrolApp);
		await("both registered").atMost(WAIT).until(() -> findMath(finder).size() == 2);

		ConfigurableApplicationContext caller = startApp(Map.of("kite.name", "caller", "kite.key",
				kontrol.issueKiteKey("bob"), "kite.kontrol.url", kontrolUrl, "kite.kontrol.register", "false",
				"kite.clients.math.query", "/alice/test/math", "kite.clients.math.version", ">=1.0.0"));
		KiteConnection math = caller.getBean(KiteClients.class).client("math");
		// whoAmI needs authentication: the token Kontrol issued to bob for alice's math
		assertThat(math.method("whoAmI").await(String.class)).isEqualTo("bob");
		assertThat(math.auth()).isNotNull().extracting(Auth::type).isEqualTo(Auth.TOKEN);
		URI first = math.currentUrl();
		assertThat(first.toString()).isIn("http://127.0.0.1:" + port(mathA) + "/kite",
				"http://127.0.0.1:" + port(mathB) + "/kite");

		(first.getPort() == port(mathA) ? mathA : mathB).close();
		await("failed over").atMost(WAIT).until(() -> {
			try {
				return "bob".equals(math.method("whoAmI").timeout(Duration.ofSeconds(5)).await(String.class));
			}
			catch (KiteException ex) {
				return false;
			}
		});
		assertThat(math.currentUrl()).isNotEqualTo(first);

		List<KiteDescriptor> found = caller.getBean(KiteDiscovery.class)
			.find(KontrolQuery.parse("/alice/test/math"))
			.get(10, TimeUnit.SECONDS);
		assertThat(found).hasSize(1).first().extracting(KiteDescriptor::url).isEqualTo(math.currentUrl().toString());
	}

	@Test
	void aQueryWithoutKontrolFailsTheStartupNamingTheProperty() {
		ConfigurableApplicationContext kontrolApp = startKontrol(0);
		String keyWithoutKontrolUrl = kontrolApp.getBean(Kontrol.class).issueKiteKey("bob"); // port
																								// 0:
																								// no
																								// claim
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> startApp(Map.of("kite.name", "caller", "kite.clients.math.query", "/alice/test/math",
					"kite.key", keyWithoutKontrolUrl)))
			.satisfies((ex) -> assertThat(rootMessage(ex)).contains("kite.clients.math.query"));
	}

	@Test
	void registersOverHttpAndHeartbeats() throws Exception {
		ConfigurableApplicationContext kontrolApp = startKontrol(0);
		Kontrol kontrol = kontrolApp.getBean(Kontrol.class);
		ConfigurableApplicationContext math = startMath(kontrolUrl(kontrolApp), kontrol.issueKiteKey("alice"),
				"kite.kontrol.transport=http");
		KontrolClient finder = finder(kontrolApp);
		await("math registered over HTTP").atMost(WAIT).until(() -> !findMath(finder).isEmpty());
		assertThat(findMath(finder).get(0).url()).isEqualTo("http://127.0.0.1:" + port(math) + "/kite");
		Kite mathKite = math.getBean("localKite", Kite.class);
		HttpResponse<String> tracked = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(kontrolUrl(kontrolApp) + "/heartbeat?id=" + mathKite.id()))
				.timeout(WAIT)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(tracked.body()).isEqualTo("pong"); // Kontrol tracks the HTTP
														// registration
		await("registered state and event").atMost(WAIT)
			.until(() -> math.getBean(Events.class).registered.size() == 1
					&& math.getBean(KiteRegistrationLifecycle.class)
						.status()
						.orElseThrow()
						.state() == KontrolRegistrationStatus.State.REGISTERED);
	}

	@Test
	void registersAgainAfterKontrolRestarts() {
		ConfigurableApplicationContext kontrolApp = startKontrol(0);
		int kontrolPort = port(kontrolApp);
		String kontrolUrl = kontrolUrl(kontrolApp);
		ConfigurableApplicationContext math = startMath(kontrolUrl,
				kontrolApp.getBean(Kontrol.class).issueKiteKey("alice"));
		KontrolClient finder = finder(kontrolApp);
		await("math registered").atMost(WAIT).until(() -> !findMath(finder).isEmpty());
		Events events = math.getBean(Events.class);

		kontrolApp.close();
		this.factory.close();
		this.factory = null;
		await("connection lost").atMost(WAIT)
			.until(() -> math.getBean(KiteRegistrationLifecycle.class)
				.status()
				.orElseThrow()
				.state() != KontrolRegistrationStatus.State.REGISTERED);

		long restarted = System.nanoTime();
		ConfigurableApplicationContext again = startKontrol(kontrolPort); // same key pair
																			// (key-dir)
		KontrolClient newFinder = finder(again);
		await("math registered again").atMost(WAIT).until(() -> !findMath(newFinder).isEmpty());
		Duration took = Duration.ofNanos(System.nanoTime() - restarted);
		System.out.println("Re-registered " + took.toMillis() + " ms after Kontrol came back");
		await("second registered event").atMost(WAIT).until(() -> events.registered.size() >= 2);
	}

	@Test
	void kontrolDownNeitherDelaysStartupNorShutdown() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		ConfigurableApplicationContext kontrolApp = startKontrol(0);
		String key = kontrolApp.getBean(Kontrol.class).issueKiteKey("alice");
		kontrolApp.close();
		ConfigurableApplicationContext math = startMath("http://127.0.0.1:" + closedPort + "/kite", key);
		KiteRegistrationLifecycle lifecycle = math.getBean(KiteRegistrationLifecycle.class);
		assertThat(lifecycle.status().orElseThrow().state()).isIn(KontrolRegistrationStatus.State.REGISTERING,
				KontrolRegistrationStatus.State.RETRYING);
		assertThat(math.getBean(KontrolHealthIndicator.class).health(true).getStatus()).isEqualTo(Status.UNKNOWN);
		Events events = math.getBean(Events.class);
		long stopping = System.nanoTime();
		math.close();
		assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(10));
		assertThat(events.registered).isEmpty();
	}

	@Test
	void failFastFailsTheStartupWhenKontrolRefusesTheKey() {
		ConfigurableApplicationContext kontrolApp = startKontrol(0);
		String foreignKey;
		ConfigurableApplicationContext other = startKontrolIn(this.keyDir.resolve("other"), 0);
		foreignKey = other.getBean(Kontrol.class).issueKiteKey("alice");
		other.close();
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> startMath(kontrolUrl(kontrolApp), foreignKey, "kite.kontrol.fail-fast=true"))
			.satisfies((ex) -> assertThat(rootMessage(ex)).contains("Could not register with Kontrol")
				.contains("authenticationError"));
	}

	@Test
	void aConfiguredKeyOfAnotherKontrolWinsOverTheEmbeddedOne() throws Exception {
		ConfigurableApplicationContext kontrolApp = startKontrol(0);
		Kontrol kontrol = kontrolApp.getBean(Kontrol.class);
		String key = kontrol.tokens().kiteKey("alice", kontrol.selfKeyPair(), kontrolUrl(kontrolApp));
		startApp(Map.of("kite.name", "math", "kite.key", key, "kite.kontrol.server.enabled", "true",
				"kite.kontrol.server.key-dir", this.keyDir.resolve("own").toString(), "kite.kontrol.hostname",
				"127.0.0.1"));
		KontrolClient finder = finder(kontrolApp);
		await("registered with the Kontrol its key names").atMost(WAIT).until(() -> findMath(finder).size() == 1);
	}

	@Test
	void embeddedKontrolRegistersItsOwnApplication() {
		ConfigurableApplicationContext app = startKontrol(0);
		LocalKiteKey key = app.getBean(LocalKiteKey.class);
		assertThat(key.get()).map(KiteKey::username).hasValue("kontrol");
		KontrolClient finder = finder(app);
		Kite self = app.getBean("localKite", Kite.class);
		await("registered with itself").atMost(WAIT)
			.until(() -> finder.getKites(new KontrolQuery("kontrol", "test", self.name(), "", "", "", self.id()))
				.get(10, TimeUnit.SECONDS)
				.size() == 1);
	}

	private static String rootMessage(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append(" / ");
		}
		return messages.toString();
	}

	private ConfigurableApplicationContext startKontrol(int port) {
		return startKontrolIn(this.keyDir.resolve("kontrol"), port);
	}

	private ConfigurableApplicationContext startKontrolIn(Path dir, int port) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(KiteApp.class)
			.properties(Map.of("server.port", String.valueOf(port), "kite.kontrol.server.enabled", "true",
					"kite.kontrol.server.key-dir", dir.toString(), "kite.name", "host", "kite.environment", "test",
					"spring.main.banner-mode", "off"))
			.run();
		this.contexts.add(context);
		return context;
	}

	private ConfigurableApplicationContext startMath(String kontrolUrl, String kiteKey, String... more) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(KiteApp.class).properties(Map.of("server.port",
				"0", "kite.name", "math", "kite.environment", "test", "kite.key", kiteKey, "kite.kontrol.url",
				kontrolUrl, "kite.kontrol.hostname", "127.0.0.1", "spring.main.banner-mode", "off"))
			.properties(more);
		ConfigurableApplicationContext context = builder.run();
		this.contexts.add(context);
		return context;
	}

	private ConfigurableApplicationContext startApp(Map<String, Object> properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(KiteApp.class)
			.properties(Map.of("server.port", "0", "kite.environment", "test", "spring.main.banner-mode", "off"))
			.properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static String kontrolUrl(ConfigurableApplicationContext kontrolApp) {
		return "http://127.0.0.1:" + port(kontrolApp) + "/kontrol";
	}

	private KontrolClient finder(ConfigurableApplicationContext kontrolApp) {
		if (this.factory == null) {
			this.factory = KiteClientFactory.builder().build();
		}
		String key = kontrolApp.getBean(Kontrol.class).issueKiteKey("bob");
		LocalKiteKey bob;
		try {
			bob = new LocalKiteKey(KiteKey.parse(key));
		}
		catch (java.text.ParseException ex) {
			throw new IllegalStateException(ex);
		}
		Kite finder = new Kite("finder", "bob", Kite.newId(), "test", "unknown", "1.0.0", "localhost");
		return KontrolClient.create(this.factory,
				KontrolClient.options(URI.create(kontrolUrl(kontrolApp)), finder).reconnect(false).build(), bob, null);
	}

	private static List<KiteWithToken> findMath(KontrolClient finder) throws Exception {
		return finder.getKites(new KontrolQuery("alice", "test", "math", "", "", "", "")).get(10, TimeUnit.SECONDS);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class KiteApp {

		@Bean
		Events events() {
			return new Events();
		}

		@Bean
		Square square() {
			return new Square();
		}

	}

	static class Square {

		@KiteMethod("square")
		public double square(double x) {
			return x * x;
		}

		@KiteMethod(value = "whoAmI", authenticated = true)
		public String whoAmI(KiteRequest request) {
			return request.username();
		}

	}

	static class Events implements ApplicationListener<org.springframework.context.ApplicationEvent> {

		final List<KiteRegisteredEvent> registered = new CopyOnWriteArrayList<>();

		final List<KiteDeregisteredEvent> deregistered = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(org.springframework.context.ApplicationEvent event) {
			if (event instanceof KiteRegisteredEvent registeredEvent) {
				this.registered.add(registeredEvent);
			}
			else if (event instanceof KiteDeregisteredEvent deregisteredEvent) {
				this.deregistered.add(deregisteredEvent);
			}
		}

	}

}
