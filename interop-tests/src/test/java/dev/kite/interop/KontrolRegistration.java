package dev.kite.interop;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import dev.kite.protocol.RegisterArgs;
import dev.kite.protocol.RegisterResult;
import org.awaitility.Awaitility;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app registered at a {@link JavaKontrol} on its behalf (the app does not
 * register itself yet): a Java {@link KiteConnection} with {@code kiteKey} auth (a key
 * Kontrol issued for {@link SampleApp#USERNAME}) claims the app's identity
 * {@code interop/test/math} with a fresh id, calls {@code register} with the app's SockJS
 * URL, and stays connected answering Kontrol's {@code kite.heartbeat} — the registration
 * lives as long as the connection. {@link #close()} closes it and waits until Kontrol has
 * deleted the record.
 *
 * <p>
 * Not thread-safe: used by the test thread only.
 */
final class KontrolRegistration implements AutoCloseable {

	/** The sample app's kite name. */
	static final String NAME = "math";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final JavaKontrol kontrol;

	private final Kite kite;

	private final KiteConnection connection;

	private final RegisterResult result;

	private KontrolRegistration(JavaKontrol kontrol, Kite kite, KiteConnection connection, RegisterResult result) {
		this.kontrol = kontrol;
		this.kite = kite;
		this.connection = connection;
		this.result = result;
	}

	/**
	 * Registers the app and waits until Kontrol has had the first heartbeat ping (which
	 * refreshes the record), so the heartbeat round trip is proven working.
	 * @param kontrol the Kontrol
	 * @param clients a factory from {@link JavaKontrol#clientFactory()}
	 * @param app the app whose SockJS URL is registered
	 * @return the live registration
	 */
	static KontrolRegistration register(JavaKontrol kontrol, KiteClientFactory clients, SampleApp app) {
		Kite kite = new Kite(NAME, SampleApp.USERNAME, UUID.randomUUID().toString(), SampleApp.ENVIRONMENT, "local",
				"1.0.0", "interop-host");
		KiteConnection connection = clients.create(KiteClientOptions.builder(kontrol.url())
			.kite(kite)
			.auth(new Auth(Auth.KITE_KEY, kontrol.issueKiteKey(SampleApp.USERNAME)))
			.timeout(WAIT)
			.connectTimeout(WAIT)
			.reconnect(false)
			.build());
		try {
			connection.connect().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
			RegisterResult result = connection.method("register")
				.args(RegisterArgs.of(app.httpUrl()))
				.await(RegisterResult.class);
			assertThat(result).isNotNull();
			Awaitility.await("first heartbeat ping of " + kite.id())
				.atMost(WAIT)
				.until(() -> kontrol.refreshes(kite.id()) > 0);
			return new KontrolRegistration(kontrol, kite, connection, result);
		}
		catch (RuntimeException | Error ex) {
			connection.close();
			throw ex;
		}
	}

	/** The identity registered (username, environment, name as the app's). */
	Kite kite() {
		return this.kite;
	}

	/** Kontrol's answer to {@code register}. */
	RegisterResult result() {
		return this.result;
	}

	/** The registering connection. */
	KiteConnection connection() {
		return this.connection;
	}

	/** Closes the registering connection and waits until Kontrol forgot the kite. */
	@Override
	public void close() {
		this.connection.close();
		Awaitility.await("deregistration of " + this.kite.id())
			.atMost(WAIT)
			.until(() -> this.kontrol.store().findById(this.kite.id()).isEmpty());
	}

}
