package dev.kite.test.tester;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.client.Transport;
import dev.kite.protocol.Auth;
import dev.kite.protocol.KiteException;
import org.assertj.core.api.ObjectAssert;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Calls a kite the way a remote peer does (over a real {@link KiteConnection}) and
 * asserts on what it answers, in the style of Spring's {@code GraphQlTester}:
 *
 * <pre class="code">
 * tester.call("square", 4).result(Double.class).isEqualTo(16.0);
 * tester.unauthenticated().call("squareAuth", 4).error().hasType("authenticationError");
 * tester.withToken(token).transport(Transport.XHR_POLLING).call("squareAuth", 4).result(Double.class).isEqualTo(16.0);
 *
 * RecordingKiteCallback callback = KiteTester.callback();
 * tester.call("callback", 3, callback).result().isNotNull();
 * callback.awaitCalls(1).argument(0, 0, Double.class).isEqualTo(6.0);
 * </pre>
 *
 * In a {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} with
 * {@link dev.kite.test.autoconfigure.AutoConfigureKiteTester @AutoConfigureKiteTester} a
 * ready tester is a bean: it dials the application's own kite endpoint
 * ({@code local.server.port}, read on first use, and {@code kite.server.path}) and sends
 * the application's kite key unless told otherwise. Elsewhere, build one with
 * {@link #builder(String)} and {@link #close()} it.
 *
 * <p>
 * A tester is immutable: {@link #withToken(String)}, {@link #transport(Transport)} and
 * the like return a new tester that shares the connections of the one it came from. One
 * connection is opened per authentication and transport on first use and kept open (so
 * callbacks can still arrive after a response) until {@link #closeConnections()}, which
 * {@link dev.kite.test.autoconfigure.KiteTesterTestExecutionListener} calls after each
 * test method.
 *
 * <p>
 * Thread safety: a tester may be used from any thread; its connections are opened and
 * closed under one lock, and a {@link Call} belongs to the thread that built it.
 */
public final class KiteTester implements AutoCloseable {

	/** How long a call and a dial may take unless a tester names its own timeout. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private final Connections connections;

	private final @Nullable Auth auth;

	private final Transport transport;

	private final Duration timeout;

	private KiteTester(Connections connections, @Nullable Auth auth, Transport transport, Duration timeout) {
		this.connections = connections;
		this.auth = auth;
		this.transport = transport;
		this.timeout = timeout;
	}

	/**
	 * Starts a tester of the kite at a URL.
	 * @param url the kite's URL, e.g. {@code http://127.0.0.1:8080/kite}
	 * @return a builder
	 */
	public static Builder builder(String url) {
		Objects.requireNonNull(url, "url");
		return new Builder(() -> url);
	}

	/**
	 * Starts a tester of a kite whose URL is only known later (a random port): the
	 * supplier is asked once, when the first connection is opened.
	 * @param url supplies the kite's URL
	 * @return a builder
	 */
	public static Builder builder(Supplier<String> url) {
		return new Builder(Objects.requireNonNull(url, "url"));
	}

	/**
	 * A callback to pass as an argument; it records every invocation by the kite.
	 * @return a new recording callback
	 */
	public static RecordingKiteCallback callback() {
		return new RecordingKiteCallback(KiteClientFactory.defaultObjectMapper());
	}

	/**
	 * Starts a call; nothing is sent until the first assertion.
	 * @param method the method name
	 * @param arguments the arguments ({@code withArgs}), possibly with callbacks
	 * @return the call
	 */
	public Call call(String method, @Nullable Object @Nullable ... arguments) {
		Objects.requireNonNull(method, "method");
		return new Call(this, method, (arguments != null) ? arguments.clone() : new Object[0], this.timeout);
	}

	/**
	 * A tester that authenticates with a kite key (Kontrol-signed JWT).
	 * @param kiteKey the kite key
	 * @return a new tester sharing this one's connections
	 */
	public KiteTester withKiteKey(String kiteKey) {
		return withAuth(new Auth(Auth.KITE_KEY, kiteKey));
	}

	/**
	 * A tester that authenticates with a token (a short-lived JWT Kontrol minted for the
	 * kite).
	 * @param token the token
	 * @return a new tester sharing this one's connections
	 */
	public KiteTester withToken(String token) {
		return withAuth(new Auth(Auth.TOKEN, token));
	}

	/**
	 * A tester that sends the given {@code authentication} object.
	 * @param auth the authentication, e.g. of an application auth type
	 * @return a new tester sharing this one's connections
	 */
	public KiteTester withAuth(Auth auth) {
		return new KiteTester(this.connections, Objects.requireNonNull(auth, "auth"), this.transport, this.timeout);
	}

	/**
	 * A tester that sends no authentication ({@code "authentication": null}).
	 * @return a new tester sharing this one's connections
	 */
	public KiteTester unauthenticated() {
		return new KiteTester(this.connections, null, this.transport, this.timeout);
	}

	/**
	 * A tester that dials with another transport, e.g. {@link Transport#XHR_POLLING} to
	 * test what SockJS fallbacks see.
	 * @param transport the transport
	 * @return a new tester sharing this one's connections
	 */
	public KiteTester transport(Transport transport) {
		return new KiteTester(this.connections, this.auth, Objects.requireNonNull(transport, "transport"),
				this.timeout);
	}

	/**
	 * A tester whose calls and dials wait at most this long.
	 * @param timeout a positive duration
	 * @return a new tester sharing this one's connections
	 */
	public KiteTester timeout(Duration timeout) {
		return new KiteTester(this.connections, this.auth, this.transport, requirePositive(timeout));
	}

	/** The authentication this tester sends, or {@code null} for none. */
	public @Nullable Auth auth() {
		return this.auth;
	}

	/** The transport this tester dials with. */
	public Transport transport() {
		return this.transport;
	}

	/** How long this tester's calls and dials wait at most. */
	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * The kite's URL (resolved on the first call of this method or the first dial).
	 * @return the URL
	 */
	public URI url() {
		return this.connections.url();
	}

	/**
	 * The open connection this tester calls over (dialed now if needed), for what the
	 * assertions do not cover, e.g. {@link KiteConnection#onDisconnect(Runnable)}. It is
	 * closed with the others by {@link #closeConnections()}; do not close it yourself.
	 * @return the connected connection
	 */
	public KiteConnection connection() {
		return this.connections.get(this.auth, this.transport, this.timeout);
	}

	/**
	 * Closes every connection opened by this tester and the testers sharing its
	 * connections; the next call dials again. Called after each test method by
	 * {@link dev.kite.test.autoconfigure.KiteTesterTestExecutionListener}.
	 */
	public void closeConnections() {
		this.connections.closeAll();
	}

	/**
	 * Closes the connections, and the client factory when the tester created it.
	 */
	@Override
	public void close() {
		this.connections.close();
	}

	@Override
	public String toString() {
		return "KiteTester[" + this.connections + ", auth=" + ((this.auth != null) ? this.auth.type() : "none")
				+ ", transport=" + this.transport + "]";
	}

	private static Duration requirePositive(Duration timeout) {
		Objects.requireNonNull(timeout, "timeout");
		if (timeout.isZero() || timeout.isNegative()) {
			throw new IllegalArgumentException("timeout must be positive");
		}
		return timeout;
	}

	/**
	 * One call: sent once, on its first assertion; later assertions look at the same
	 * answer.
	 *
	 * <p>
	 * Thread safety: for the thread that built it.
	 */
	public static final class Call {

		private final KiteTester tester;

		private final String method;

		private final @Nullable Object[] arguments;

		private Duration timeout;

		private @Nullable Outcome outcome;

		Call(KiteTester tester, String method, @Nullable Object[] arguments, Duration timeout) {
			this.tester = tester;
			this.method = method;
			this.arguments = arguments;
			this.timeout = timeout;
		}

		/**
		 * How long this call waits for its answer (default: the tester's timeout); when
		 * it passes, the call fails with a {@code timeout} error.
		 * @param timeout a positive duration
		 * @return this call
		 */
		public Call timeout(Duration timeout) {
			this.timeout = requirePositive(timeout);
			return this;
		}

		/**
		 * Asserts that the kite answered with a result and returns assertions on it as
		 * JSON ({@code NullNode} for {@code null}).
		 * @return assertions on the result
		 * @throws AssertionError when the kite answered with an error
		 */
		public ObjectAssert<JsonNode> result() {
			return new ObjectAssert<>(resultNode()).as("result of \"%s\"", this.method);
		}

		/**
		 * Asserts that the kite answered with a result that reads as a type and returns
		 * assertions on it.
		 * @param <T> the result type
		 * @param type the result type
		 * @return assertions on the result
		 * @throws AssertionError when the kite answered with an error or the result does
		 * not read as the type
		 */
		public <T> ObjectAssert<@Nullable T> result(Class<T> type) {
			T value = value(type);
			return new ObjectAssert<@Nullable T>(value).as("result of \"%s\"", this.method);
		}

		/**
		 * Asserts that the kite answered with a result that reads as a generic type and
		 * returns assertions on it.
		 * @param <T> the result type
		 * @param type the result type, e.g. {@code new
		 * ParameterizedTypeReference<List<String>>() {}}
		 * @return assertions on the result
		 * @throws AssertionError when the kite answered with an error or the result does
		 * not read as the type
		 */
		public <T> ObjectAssert<@Nullable T> result(ParameterizedTypeReference<T> type) {
			ObjectMapper mapper = this.tester.connections.mapper();
			T value = read(mapper.getTypeFactory().constructType(type.getType()));
			return new ObjectAssert<@Nullable T>(value).as("result of \"%s\"", this.method);
		}

		/**
		 * Asserts that the kite answered with a result and reads it as a type, for use in
		 * further steps of a test.
		 * @param <T> the result type
		 * @param type the result type
		 * @return the result
		 * @throws AssertionError when the kite answered with an error or the result does
		 * not read as the type
		 */
		public <T> @Nullable T value(Class<T> type) {
			return read(this.tester.connections.mapper().constructType(type));
		}

		/**
		 * Asserts that the kite answered with an error (or the call failed locally, e.g.
		 * with {@code timeout}) and returns assertions on it.
		 * @return assertions on the error
		 * @throws AssertionError when the kite answered with a result
		 */
		public KiteErrorAssert error() {
			Outcome answer = send();
			if (answer.error() == null) {
				throw new AssertionError(
						"Expected \"" + this.method + "\" to fail, but it answered " + answer.result());
			}
			return new KiteErrorAssert(answer.error().error());
		}

		private <T> @Nullable T read(JavaType type) {
			JsonNode node = resultNode();
			try {
				return this.tester.connections.mapper().treeToValue(node, type);
			}
			catch (JacksonException ex) {
				throw new AssertionError("The result of \"" + this.method + "\" does not read as " + type.toCanonical()
						+ ": " + node + " (" + ex.getOriginalMessage() + ")", ex);
			}
		}

		private JsonNode resultNode() {
			Outcome answer = send();
			if (answer.error() != null) {
				throw new AssertionError(
						"Expected a result of \"" + this.method + "\", but it failed with "
								+ answer.error().error().type() + ": " + answer.error().error().message(),
						answer.error());
			}
			return Objects.requireNonNull(answer.result());
		}

		// NullAway 0.13 reads KiteCall.args' "@Nullable Object @Nullable ..." as Object[]
		// when an array is passed; null arguments are valid (sent as JSON null).
		@SuppressWarnings("NullAway")
		private Outcome send() {
			Outcome answer = this.outcome;
			if (answer == null) {
				KiteConnection connection = this.tester.connection();
				try {
					answer = new Outcome(
							connection.method(this.method).args(this.arguments).timeout(this.timeout).await(), null);
				}
				catch (KiteException ex) {
					answer = new Outcome(null, ex);
				}
				this.outcome = answer;
			}
			return answer;
		}

		@Override
		public String toString() {
			return "Call[" + this.method + "]";
		}

	}

	/** A call's answer: a result or an error. */
	private record Outcome(@Nullable JsonNode result, @Nullable KiteException error) {
	}

	/** A connection is shared per authentication and transport. */
	private record ConnectionKey(@Nullable Auth auth, Transport transport) {
	}

	/**
	 * The connections of a tester and the testers derived from it. Dials happen under the
	 * lock (bounded by the tester's timeout): tests rarely dial concurrently, and one
	 * connection per key is the point.
	 */
	private static final class Connections implements AutoCloseable {

		private final Supplier<String> urlSupplier;

		private final KiteClientFactory factory;

		private final boolean ownsFactory;

		private final Map<ConnectionKey, KiteConnection> open = new HashMap<>();

		private @Nullable URI url;

		Connections(Supplier<String> urlSupplier, KiteClientFactory factory, boolean ownsFactory) {
			this.urlSupplier = urlSupplier;
			this.factory = factory;
			this.ownsFactory = ownsFactory;
		}

		ObjectMapper mapper() {
			return this.factory.objectMapper();
		}

		synchronized URI url() {
			URI resolved = this.url;
			if (resolved == null) {
				resolved = URI.create(this.urlSupplier.get());
				this.url = resolved;
			}
			return resolved;
		}

		synchronized KiteConnection get(@Nullable Auth auth, Transport transport, Duration timeout) {
			ConnectionKey key = new ConnectionKey(auth, transport);
			KiteConnection connection = this.open.get(key);
			if (connection != null && !connection.isClosed()) {
				return connection;
			}
			// No reconnection: a connection the kite dropped should fail the test, not be
			// hidden by a redial.
			connection = this.factory.create(KiteClientOptions.builder(url())
				.transport(transport)
				.auth(auth)
				.timeout(timeout)
				.connectTimeout(timeout)
				.reconnect(false)
				.build());
			this.open.put(key, connection);
			try {
				// The dial is bounded by connectTimeout; the margin only guards against a
				// stopped scheduler.
				connection.connect().get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException | TimeoutException ex) {
				this.open.remove(key);
				connection.close();
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				throw new IllegalStateException(
						"Cannot connect to the kite at " + url() + " (" + transport + "): " + cause.getMessage(),
						cause);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.open.remove(key);
				connection.close();
				throw new IllegalStateException("Interrupted while connecting to " + url(), ex);
			}
			return connection;
		}

		void closeAll() {
			List<KiteConnection> connections;
			synchronized (this) {
				connections = new ArrayList<>(this.open.values());
				this.open.clear();
			}
			for (KiteConnection connection : connections) {
				connection.close();
			}
		}

		@Override
		public void close() {
			closeAll();
			if (this.ownsFactory) {
				this.factory.close();
			}
		}

		@Override
		public synchronized String toString() {
			return (this.url != null) ? this.url.toString() : "(URL not resolved yet)";
		}

	}

	/**
	 * Builds a {@link KiteTester}. Not thread-safe.
	 */
	public static final class Builder {

		private final Supplier<String> url;

		private @Nullable KiteClientFactory factory;

		private @Nullable Auth auth;

		private Transport transport = Transport.AUTO;

		private Duration timeout = DEFAULT_TIMEOUT;

		private Builder(Supplier<String> url) {
			this.url = url;
		}

		/**
		 * The factory that creates the connections (default: one the tester creates and
		 * closes with {@link KiteTester#close()}). Its mapper reads results and its
		 * dispatcher serves the kite's calls on the tester's connections.
		 * @param factory the factory, closed by its owner
		 * @return this builder
		 */
		public Builder clientFactory(KiteClientFactory factory) {
			this.factory = Objects.requireNonNull(factory, "factory");
			return this;
		}

		/**
		 * The authentication sent with every call (default: none).
		 * @param auth the authentication, or {@code null} for none
		 * @return this builder
		 */
		public Builder auth(@Nullable Auth auth) {
			this.auth = auth;
			return this;
		}

		/**
		 * The transport (default: {@link Transport#AUTO}).
		 * @param transport the transport
		 * @return this builder
		 */
		public Builder transport(Transport transport) {
			this.transport = Objects.requireNonNull(transport, "transport");
			return this;
		}

		/**
		 * How long calls and dials wait at most (default: {@link #DEFAULT_TIMEOUT}).
		 * @param timeout a positive duration
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			this.timeout = requirePositive(timeout);
			return this;
		}

		/**
		 * Builds the tester.
		 * @return the tester
		 */
		public KiteTester build() {
			KiteClientFactory clients = this.factory;
			boolean owned = clients == null;
			if (clients == null) {
				clients = KiteClientFactory.builder().build();
			}
			return new KiteTester(new Connections(this.url, clients, owned), this.auth, this.transport, this.timeout);
		}

	}

}
