package dev.kite.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.SSLContext;

import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import org.jspecify.annotations.Nullable;

/**
 * Everything one {@link KiteConnection} needs to know about the kite it dials and about
 * itself.
 *
 * @param url the kite's URL: a SockJS base URL ({@code http(s)://host:port/kite}), or a
 * raw WebSocket URL ({@code ws(s)://host:port/kite/websocket}) dialed verbatim; with an
 * {@code endpointResolver}, only a label for logs (see there)
 * @param transport how to dial an {@code http(s)} URL
 * @param timeout how long a call waits for its response unless the call names its own
 * timeout (Go: 15 s)
 * @param connectTimeout how long one dial may take (Go's handshake timeout: 15 s)
 * @param auth the {@code authentication} sent with every call, or {@code null} for none
 * (sent as JSON {@code null}); {@link KiteConnection#setAuth(Auth)} swaps it later (token
 * renewal)
 * @param kite the local identity sent as {@code kite} with every call; the peer records
 * the one of the first call (PROTOCOL §3.1), and Kontrol registers exactly that
 * @param reconnect whether and how to dial again after a lost connection or failed dial
 * @param authenticateIncoming whether calls the peer makes on this connection must
 * authenticate; {@code false} (default) trusts the kite we dialed, as Go does (PROTOCOL
 * §4.6)
 * @param sslContext the TLS context for {@code https}/{@code wss}, or {@code null} for
 * the JVM default trust store
 * @param endpointResolver chooses the URL (and auth) before every dial, or {@code null}
 * to always dial {@code url}. With a resolver, {@code url} is only the connection's name
 * in logs and {@code toString} until the first resolution (any absolute URI, e.g.
 * {@code kontrol:/alice/production/math}); it is never dialed.
 */
public record KiteClientOptions(URI url, Transport transport, Duration timeout, Duration connectTimeout,
		@Nullable Auth auth, Kite kite, ReconnectPolicy reconnect, boolean authenticateIncoming,
		@Nullable SSLContext sslContext, @Nullable KiteEndpointResolver endpointResolver) {

	/** Go's {@code Config.Timeout}: calls and dials give up after 15 s. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

	public KiteClientOptions {
		Objects.requireNonNull(url, "url");
		Objects.requireNonNull(transport, "transport");
		Objects.requireNonNull(kite, "kite");
		Objects.requireNonNull(reconnect, "reconnect");
		requirePositive(timeout, "timeout");
		requirePositive(connectTimeout, "connectTimeout");
		if (endpointResolver == null) {
			requireKiteUrl(url);
		}
		else if (!url.isAbsolute()) {
			throw new IllegalArgumentException(
					"The label of a resolved kite connection must be an absolute URI: " + url);
		}
	}

	/**
	 * The same options without an endpoint resolver (the 9 components before it), dialing
	 * {@code url}.
	 */
	public KiteClientOptions(URI url, Transport transport, Duration timeout, Duration connectTimeout,
			@Nullable Auth auth, Kite kite, ReconnectPolicy reconnect, boolean authenticateIncoming,
			@Nullable SSLContext sslContext) {
		this(url, transport, timeout, connectTimeout, auth, kite, reconnect, authenticateIncoming, sslContext, null);
	}

	static URI requireKiteUrl(URI url) {
		String scheme = url.getScheme();
		if (scheme == null
				|| !(scheme.equals("http") || scheme.equals("https") || scheme.equals("ws") || scheme.equals("wss"))) {
			throw new IllegalArgumentException("A kite URL must be http, https, ws or wss: " + url);
		}
		return url;
	}

	static Duration requirePositive(@Nullable Duration value, String name) {
		Objects.requireNonNull(value, name);
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive");
		}
		return value;
	}

	/**
	 * Starts options for a URL, with Go's defaults: AUTO transport, 15 s timeouts, no
	 * auth, no reconnection, incoming calls trusted, and an identity named
	 * {@code kite-client} with a fresh id.
	 * @param url the kite's URL
	 * @return a builder
	 */
	public static Builder builder(String url) {
		return new Builder(URI.create(url));
	}

	/**
	 * @param url the kite's URL
	 * @return a builder with Go's defaults
	 */
	public static Builder builder(URI url) {
		return new Builder(url);
	}

	/** A builder prefilled with these options. */
	public Builder toBuilder() {
		Builder builder = new Builder(this.url);
		builder.transport = this.transport;
		builder.timeout = this.timeout;
		builder.connectTimeout = this.connectTimeout;
		builder.auth = this.auth;
		builder.kite = this.kite;
		builder.reconnect = this.reconnect;
		builder.authenticateIncoming = this.authenticateIncoming;
		builder.sslContext = this.sslContext;
		builder.endpointResolver = this.endpointResolver;
		return builder;
	}

	/**
	 * A default local identity: name {@code kite-client}, version {@code 1.0.0}, this
	 * host's name, and a fresh id per call.
	 */
	public static Kite defaultKite() {
		return new Kite("kite-client", "", Kite.newId(), "", "", "1.0.0", LocalHost.NAME);
	}

	/** The host name, looked up once (the lookup may be slow). */
	private static final class LocalHost {

		static final String NAME = lookUp();

		private static String lookUp() {
			try {
				return java.net.InetAddress.getLocalHost().getHostName();
			}
			catch (java.io.IOException | RuntimeException ex) {
				return "localhost";
			}
		}

	}

	/** Builds {@link KiteClientOptions}. Not thread-safe. */
	public static final class Builder {

		private URI url;

		private Transport transport = Transport.AUTO;

		private Duration timeout = DEFAULT_TIMEOUT;

		private Duration connectTimeout = DEFAULT_TIMEOUT;

		private @Nullable Auth auth;

		private @Nullable Kite kite;

		private ReconnectPolicy reconnect = ReconnectPolicy.disabled();

		private boolean authenticateIncoming;

		private @Nullable SSLContext sslContext;

		private @Nullable KiteEndpointResolver endpointResolver;

		private Builder(URI url) {
			this.url = Objects.requireNonNull(url, "url");
		}

		public Builder url(URI url) {
			this.url = url;
			return this;
		}

		public Builder transport(Transport transport) {
			this.transport = transport;
			return this;
		}

		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		public Builder auth(@Nullable Auth auth) {
			this.auth = auth;
			return this;
		}

		public Builder kite(Kite kite) {
			this.kite = kite;
			return this;
		}

		public Builder reconnect(ReconnectPolicy reconnect) {
			this.reconnect = reconnect;
			return this;
		}

		/** Switches reconnection on with Go's backoff figures (or off). */
		public Builder reconnect(boolean enabled) {
			this.reconnect = this.reconnect.withEnabled(enabled);
			return this;
		}

		public Builder authenticateIncoming(boolean authenticateIncoming) {
			this.authenticateIncoming = authenticateIncoming;
			return this;
		}

		public Builder sslContext(@Nullable SSLContext sslContext) {
			this.sslContext = sslContext;
			return this;
		}

		/**
		 * Resolves the endpoint before every dial instead of dialing the builder's URL,
		 * which then only names the connection in logs (see
		 * {@link KiteClientOptions#endpointResolver()}).
		 * @param endpointResolver the resolver, or {@code null} to dial the URL
		 * @return this builder
		 */
		public Builder endpointResolver(@Nullable KiteEndpointResolver endpointResolver) {
			this.endpointResolver = endpointResolver;
			return this;
		}

		public KiteClientOptions build() {
			return new KiteClientOptions(this.url, this.transport, this.timeout, this.connectTimeout, this.auth,
					(this.kite != null) ? this.kite : defaultKite(), this.reconnect, this.authenticateIncoming,
					this.sslContext, this.endpointResolver);
		}

	}

}
