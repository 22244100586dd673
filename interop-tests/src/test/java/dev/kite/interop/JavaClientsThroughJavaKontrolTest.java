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
import dev.kite.protocol.RegisterResult;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Java clients only, through the Java Kontrol over real sockets: one connection registers
 * the sample app (a separate JVM that trusts this Kontrol) with its kite key, another
 * finds it with {@code getKites} and calls the authenticated {@code squareAuth} on the
 * app with the token Kontrol minted; closing the registering connection removes the kite
 * from {@code getKites}.
 */
@ExtendWith(JavaKontrolExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JavaClientsThroughJavaKontrolTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void registerFindCallAndDeregister(JavaKontrol kontrol, SampleApp app) {
		try (KiteClientFactory clients = kontrol.clientFactory()) {
			KontrolRegistration registration = KontrolRegistration.register(kontrol, clients, app);
			Kite math = registration.kite();
			RegisterResult registered = registration.result();
			assertThat(registered.url()).isEqualTo(app.httpUrl());
			assertThat(registered.heartbeatInterval()).isZero();
			// The key is Kontrol's current one: no re-keying.
			assertThat(registered.publicKey()).isEmpty();
			assertThat(registered.kiteKey()).isEmpty();

			Kite cli = new Kite("cli", "alice", UUID.randomUUID().toString(), "test", "local", "1.0.0", "laptop");
			KiteConnection finder = connect(clients, kontrol.url(), cli,
					new Auth(Auth.KITE_KEY, kontrol.issueKiteKey("alice")));
			// The whole identity: matches this registration only.
			KontrolQuery query = KontrolQuery.of(math);
			GetKitesResult found = getKites(finder, query);
			assertThat(found.kites()).hasSize(1);
			KiteWithToken target = found.kites().get(0);
			assertThat(target.kite()).isEqualTo(math);
			assertThat(target.url()).isEqualTo(app.httpUrl());
			assertThat(target.keyId()).isEqualTo(kontrol.kontrol().selfKeyPair().id());
			assertThat(target.token()).isNotEmpty();

			KiteConnection caller = connect(clients, target.url(), cli, new Auth(Auth.TOKEN, target.token()));
			assertThat(caller.method("squareAuth").args(3).await(Double.class)).isEqualTo(9.0);
			assertThat(caller.method("square").args(4).await(Double.class)).isEqualTo(16.0);

			assertThat(getKites(finder,
					new KontrolQuery(SampleApp.USERNAME, SampleApp.ENVIRONMENT, "nobody", "", "", "", ""))
				.kites()).isEmpty();

			registration.connection().close();
			Awaitility.await("getKites without the closed registration")
				.atMost(WAIT)
				.until(() -> getKites(finder, query).kites().isEmpty());
			// Awaits the store too (already empty), so the next test starts clean.
			registration.close();
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
