package dev.kite.client.kontrol;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.client.KiteCall;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.client.ReconnectPolicy;
import dev.kite.protocol.Auth;
import dev.kite.protocol.GetKitesArgs;
import dev.kite.protocol.GetKitesResult;
import dev.kite.protocol.GetTokenArgs;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.KiteWithToken;
import dev.kite.protocol.KontrolQuery;
import dev.kite.protocol.RegisterArgs;
import dev.kite.protocol.RegisterResult;
import org.jspecify.annotations.Nullable;

/**
 * Kontrol's methods (PROTOCOL §6) over one kite connection, as Go's Kontrol client: the
 * connection dials Kontrol's URL and redials forever with backoff (Go's
 * {@code DialForever}, unless the options say otherwise), and every request carries this
 * kite's current kite key ({@code kiteKey} auth, read from the {@link LocalKiteKey} at
 * each call, so a rotated key is used at once).
 *
 * <pre class="code">
 * KontrolClient kontrol = KontrolClient.create(factory, KiteClientOptions.builder(kontrolUrl).kite(me).build(), kiteKey);
 * List&lt;KiteWithToken&gt; maths = kontrol.getKites(query).join();
 * </pre>
 *
 * Results: {@link #register(URI)} (which applies a key rotation the answer announces,
 * when given a {@link KontrolKeyRotation}), {@link #getKites(KontrolQuery)},
 * {@link #getToken(KontrolQuery, boolean)}, {@link #getKey()}. Every call fails with a
 * {@link KiteException}: Kontrol's error, or a local {@code timeout}, {@code disconnect}
 * or {@code sendError}; none blocks a thread.
 *
 * <p>
 * Kontrol calls {@code kite.heartbeat} on this connection after a {@code register}; the
 * factory's dispatcher serves it (the built-ins), so a registered kite stays alive as
 * long as this connection does.
 *
 * <p>
 * Thread safety: every method may be called from any thread.
 */
public final class KontrolClient implements AutoCloseable {

	private final KiteConnection connection;

	private final LocalKiteKey kiteKey;

	private final @Nullable KontrolKeyRotation rotation;

	private KontrolClient(KiteConnection connection, LocalKiteKey kiteKey, @Nullable KontrolKeyRotation rotation) {
		this.connection = connection;
		this.kiteKey = kiteKey;
		this.rotation = rotation;
	}

	/**
	 * Creates a Kontrol client; it does not dial until the first Kontrol call (which
	 * waits, bounded by the call timeout, for the connection) or {@link #connect()}.
	 * @param factory creates the connection (its dispatcher answers Kontrol's heartbeat)
	 * @param options Kontrol's URL, this kite's identity, transport, timeouts and
	 * reconnection; their {@code auth} is ignored (the kite key is sent)
	 * @param kiteKey this kite's key, which every request carries
	 * @param rotation applies key rotations that {@code register} announces, or
	 * {@code null} to ignore them
	 * @return the client
	 * @throws IllegalStateException when this kite has no kite key (Kontrol accepts
	 * nothing without one)
	 */
	public static KontrolClient create(KiteClientFactory factory, KiteClientOptions options, LocalKiteKey kiteKey,
			@Nullable KontrolKeyRotation rotation) {
		Auth auth = kiteKeyAuth(kiteKey);
		KiteConnection connection = factory.create(options.toBuilder().auth(auth).build());
		return new KontrolClient(connection, kiteKey, rotation);
	}

	/**
	 * Options to reach Kontrol the way Go kites do: redial forever with Go's backoff.
	 * @param url Kontrol's URL, e.g. {@code http://host:4000/kite}
	 * @param kite this kite's identity, which Kontrol records at {@code register}
	 * @return a builder to adjust further
	 */
	public static KiteClientOptions.Builder options(URI url, Kite kite) {
		return KiteClientOptions.builder(url).kite(kite).reconnect(ReconnectPolicy.goDefaults());
	}

	private static Auth kiteKeyAuth(LocalKiteKey kiteKey) {
		KiteKey key = kiteKey.get()
			.orElseThrow(() -> new IllegalStateException(
					"A Kontrol client needs a kite key signed by that Kontrol (kite.key or kite.key-file)"));
		return new Auth(Auth.KITE_KEY, key.raw());
	}

	/** Kontrol's URL. */
	public URI url() {
		return this.connection.currentUrl();
	}

	/**
	 * The connection to Kontrol, e.g. to listen for reconnects
	 * ({@link KiteConnection#onConnect(Runnable)}).
	 */
	public KiteConnection connection() {
		return this.connection;
	}

	/**
	 * Dials Kontrol unless connected or dialing already (see
	 * {@link KiteConnection#connect()}).
	 * @return completes once connected
	 */
	public CompletableFuture<KontrolClient> connect() {
		return this.connection.connect().thenApply((connected) -> this);
	}

	/**
	 * Registers this kite (the identity of the connection's first request) under a URL.
	 * An announced key rotation is applied before the future completes.
	 * @param url the URL other kites dial to reach this kite
	 * @return Kontrol's answer
	 */
	public CompletableFuture<RegisterResult> register(URI url) {
		return call("register").args(RegisterArgs.of(url.toString()))
			.retrieve(RegisterResult.class)
			.thenApply((result) -> {
				RegisterResult answer = requireResult(result, "register");
				if (!answer.err().isEmpty()) {
					throw new KiteException(KiteErrorTypes.GENERIC_ERROR, answer.err());
				}
				if (this.rotation != null) {
					this.rotation.apply(answer);
				}
				return answer;
			});
	}

	/**
	 * Looks kites up (PROTOCOL §6.4); each comes with a token for calling it.
	 * @param query the query; Kontrol wants at least a username
	 * @return the matches in Kontrol's (random) order; empty when none matched (Go's
	 * client reports that as {@code no kites availabile})
	 */
	public CompletableFuture<List<KiteWithToken>> getKites(KontrolQuery query) {
		Objects.requireNonNull(query, "query");
		return call("getKites").args(GetKitesArgs.of(query))
			.retrieve(GetKitesResult.class)
			.thenApply((result) -> requireResult(result, "getKites").kites());
	}

	/**
	 * Asks for a token to call one kite (PROTOCOL §6.5); the query must match exactly
	 * one.
	 * @param query the kite, e.g. an id-only query as Go's token renewer sends
	 * @param force whether Kontrol must mint a new token rather than reuse a cached one
	 * @return the token
	 */
	public CompletableFuture<String> getToken(KontrolQuery query, boolean force) {
		return call("getToken").args(new GetTokenArgs(query, force))
			.retrieve(String.class)
			.thenApply((token) -> requireResult(token, "getToken"));
	}

	/**
	 * Asks for Kontrol's public key for this kite's key (PROTOCOL §6.6).
	 * @return the PEM public key
	 */
	public CompletableFuture<String> getKey() {
		return call("getKey").args((Object) null)
			.retrieve(String.class)
			.thenApply((pem) -> requireResult(pem, "getKey"));
	}

	/**
	 * Starts a call of any Kontrol method with this kite's current kite key, dialing
	 * Kontrol first when neither connected nor dialing (the call waits for the dial at
	 * most its timeout).
	 * @param method the method
	 * @return the call
	 */
	public KiteCall call(String method) {
		Auth current = kiteKeyAuth(this.kiteKey);
		if (!current.equals(this.connection.auth())) {
			this.connection.setAuth(current); // a rotated key
		}
		if (!this.connection.isConnected() && !this.connection.isClosed()) {
			this.connection.connect(); // joins a dial in progress; its outcome reaches
										// the call
		}
		return this.connection.method(method);
	}

	private static <T> T requireResult(@Nullable T result, String method) {
		if (result == null) {
			throw new KiteException(KiteErrorTypes.INVALID_RESPONSE, "Kontrol answered " + method + " with null");
		}
		return result;
	}

	/** Closes the connection; over it, Kontrol forgets this kite's registration. */
	@Override
	public void close() {
		this.connection.close();
	}

	@Override
	public String toString() {
		return "KontrolClient[" + url() + "]";
	}

}
