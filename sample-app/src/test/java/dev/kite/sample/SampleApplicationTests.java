package dev.kite.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.autoconfigure.registration.KiteRegistrationLifecycle;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.Transport;
import dev.kite.client.kontrol.KontrolClient;
import dev.kite.client.kontrol.KontrolRegistrationStatus;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteWithToken;
import dev.kite.protocol.KontrolQuery;
import dev.kite.test.autoconfigure.AutoConfigureEmbeddedKontrol;
import dev.kite.test.autoconfigure.AutoConfigureKiteTester;
import dev.kite.test.kontrol.KiteTestKeys;
import dev.kite.test.tester.KiteTester;
import dev.kite.test.tester.RecordingKiteCallback;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.node.NullNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as it runs, tested the way an application using the starter tests itself:
 * {@link KiteTester} calls the {@code math} kite over a real connection,
 * {@link KiteTestKeys} mints credentials signed by the embedded Kontrol (valid, expired,
 * for another audience), the app's own {@code math} client calls {@code square}, and
 * {@code GET /demo/square} answers through it; the app registers its {@code math} kite
 * with its embedded Kontrol, whose tokens {@code squareAuth} accepts.
 *
 * <p>
 * {@code @AutoConfigureEmbeddedKontrol} gives Kontrol a temporary key directory instead
 * of {@code ~/.kite/kontrol}. The client's URL names {@code ${local.server.port}},
 * resolved when the client is first used, so the app on its random port calls itself as
 * it does when run.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureKiteTester
@AutoConfigureEmbeddedKontrol
class SampleApplicationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	KiteTester tester;

	@Autowired
	KiteTestKeys keys;

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
	void squareAnswersAnyone() {
		this.tester.call("square", 4).result(Double.class).isEqualTo(16.0);
		this.tester.unauthenticated().call("square", 5).result(Double.class).isEqualTo(25.0);
		// kite.js dials a raw WebSocket, browsers without WebSockets SockJS XHR polling.
		this.tester.transport(Transport.RAW_WEBSOCKET).call("square", 6).result(Double.class).isEqualTo(36.0);
		this.tester.transport(Transport.XHR_POLLING).call("square", 7).result(Double.class).isEqualTo(49.0);
	}

	@Test
	void callbackIsCalledWithTwiceTheNumber() {
		RecordingKiteCallback callback = KiteTester.callback();
		this.tester.call("callback", 3, callback).result().isEqualTo(NullNode.getInstance());
		callback.awaitCalls(1).argument(0, 0, Double.class).isEqualTo(6.0);
		assertThat(callback.callCount()).isEqualTo(1);
	}

	@Test
	void squareAuthAcceptsATokenOfItsKontrol() {
		this.tester.withToken(this.keys.token()).call("squareAuth", 3).result(Double.class).isEqualTo(9.0);
		// The tester's default: the app's own kite key, issued by the same Kontrol.
		this.tester.call("squareAuth", 4).result(Double.class).isEqualTo(16.0);
	}

	@Test
	void squareAuthRefusesAnonymousCallers() {
		this.tester.unauthenticated().call("squareAuth", 3).error().hasType("authenticationError");
	}

	@Test
	void squareAuthRefusesAnExpiredToken() {
		this.tester.withToken(this.keys.expiredToken())
			.call("squareAuth", 3)
			.error()
			.hasType("authenticationError")
			.messageContains("token is expired");
	}

	@Test
	void squareAuthRefusesATokenForAnotherKite() {
		this.tester.withToken(this.keys.wrongAudienceToken())
			.call("squareAuth", 3)
			.error()
			.hasType("authenticationError")
			.messageContains("audience: username \"other-kontrol\" not allowed");
	}

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
	void kiteKeyIsIssuedByTheEmbeddedKontrol() {
		KiteKey key = this.kiteKey.get().orElseThrow();
		assertThat(key.username()).isEqualTo("kontrol");
		assertThat(key.kontrolUser()).isEqualTo(this.keys.kontrolUser());
		assertThat(key.kontrolKey().strip()).isEqualTo(this.keys.kontrolPublicKey().strip());
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
		try {
			// The whole identity, the instance id included: this run's kite only.
			KontrolQuery query = KontrolQuery.of(this.localKite);
			await("math registered with the embedded Kontrol").atMost(WAIT)
				.until(() -> getKites(kontrol, query).size() == 1);
			KiteWithToken found = getKites(kontrol, query).get(0);
			assertThat(found.kite()).isEqualTo(this.localKite);
			assertThat(found.url()).startsWith("http://").endsWith(":" + this.port + "/kite");

			KontrolRegistrationStatus status = this.registration.status().orElseThrow();
			assertThat(status.state()).isEqualTo(KontrolRegistrationStatus.State.REGISTERED);
			assertThat(status.kontrolUrl()).isEqualTo(kontrolUrl);

			// Call as a kite that found it would, with the token Kontrol minted.
			this.tester.withToken(found.token()).call("squareAuth", 3).result(Double.class).isEqualTo(9.0);
		}
		finally {
			kontrol.close();
		}
	}

	private static List<KiteWithToken> getKites(KontrolClient kontrol, KontrolQuery query) throws Exception {
		return kontrol.getKites(query).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
	}

}
