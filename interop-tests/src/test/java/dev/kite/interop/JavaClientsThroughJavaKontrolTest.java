package dev.kite.interop;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.protocol.Auth;
import dev.kite.protocol.GetKitesArgs;
import dev.kite.protocol.GetKitesResult;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteWithToken;
import dev.kite.protocol.KontrolQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Java clients only, through the Java Kontrol over real sockets: the sample app (a
 * separate JVM started with a kite key this Kontrol issued and
 * {@code --kite.kontrol.url}) registered itself; a Java client finds it with
 * {@code getKites} and calls the authenticated {@code squareAuth} on the app with the
 * token Kontrol minted. (That a stopping app leaves the registry is proven in-process by
 * the autoconfigure module's {@code KiteRegistrationEndToEndTests}: this app is shared.)
 */
@ExtendWith(JavaKontrolExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JavaClientsThroughJavaKontrolTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void findTheSelfRegisteredAppAndCallIt(JavaKontrol kontrol, SampleApp app) {
		try (KiteClientFactory clients = kontrol.clientFactory()) {
			Kite cli = new Kite("cli", "alice", UUID.randomUUID().toString(), "test", "local", "1.0.0", "laptop");
			KiteConnection finder = connect(clients, kontrol.url(), cli,
					new Auth(Auth.KITE_KEY, kontrol.issueKiteKey("alice")));
			KontrolQuery query = new KontrolQuery(SampleApp.USERNAME, SampleApp.ENVIRONMENT, SampleApp.NAME, "", "", "",
					"");
			GetKitesResult found = getKites(finder, query);
			assertThat(found.kites()).hasSize(1);
			KiteWithToken target = found.kites().get(0);
			// The identity of the app's startup report: the key's owner, the configured
			// environment and name, this start's id.
			Kite math = target.kite();
			assertThat("/" + String.join("/", math.username(), math.environment(), math.name(), math.version(),
					math.region(), math.hostname(), math.id()))
				.isEqualTo(app.kitePath());
			assertThat(target.url()).isEqualTo(app.httpUrl());
			assertThat(target.keyId()).isEqualTo(kontrol.kontrol().selfKeyPair().id());
			assertThat(target.token()).isNotEmpty();
			// The whole identity finds it too.
			assertThat(getKites(finder, KontrolQuery.of(math)).kites()).hasSize(1);

			KiteConnection caller = connect(clients, target.url(), cli, new Auth(Auth.TOKEN, target.token()));
			assertThat(caller.method("squareAuth").args(3).await(Double.class)).isEqualTo(9.0);
			assertThat(caller.method("square").args(4).await(Double.class)).isEqualTo(16.0);

			assertThat(getKites(finder,
					new KontrolQuery(SampleApp.USERNAME, SampleApp.ENVIRONMENT, "nobody", "", "", "", ""))
				.kites()).isEmpty();
		}
	}

	private static KiteConnection connect(KiteClientFactory clients, String url, Kite kite, Auth auth) {
		KiteConnection connection = clients.create(KiteClientOptions.builder(url)
			.kite(kite)
			.auth(auth)
			.timeout(WAIT)
			.connectTimeout(WAIT)
			.reconnect(false)
			.build());
		connection.connect().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
		return connection;
	}

	private static GetKitesResult getKites(KiteConnection finder, KontrolQuery query) {
		GetKitesResult result = finder.method("getKites").args(GetKitesArgs.of(query)).await(GetKitesResult.class);
		assertThat(result).isNotNull();
		return result;
	}

}
