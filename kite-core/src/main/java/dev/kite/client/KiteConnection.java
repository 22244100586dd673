package dev.kite.client;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

import dev.kite.observation.KiteClientObservationConvention;
import dev.kite.protocol.Auth;
import dev.kite.protocol.KiteError;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.LogSafe;
import dev.kite.rpc.Failures;
import dev.kite.rpc.builtin.BuiltinKiteMethods;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.scheduling.TaskScheduler;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One connection to one kite, as Go's {@code kite.Client}: it dials the kite's URL, sends
 * calls with the kite envelope and completes a {@link CompletableFuture} when the peer
 * answers, and serves the peer's own calls on the same connection (Kontrol calls
 * {@code kite.heartbeat} on a registering kite this way). Create connections with
 * {@link KiteClientFactory#create(KiteClientOptions)}.
 *
 * <pre class="code">
 * KiteConnection math = factory.create(KiteClientOptions.builder("http://localhost:3636/kite").build());
 * math.connect().join();
 * Double square = math.method("square").args(4).await(Double.class);
 * CompletableFuture&lt;Double&gt; later = math.method("square").args(5).retrieve(Double.class);
 * </pre>
 *
 * The parts: a {@link KiteConnector} dials and redials, each open session is a
 * {@link Link} with its {@link PendingCalls}, and {@link #method(String)} starts a
 * {@link KiteCall}. The {@code call}, {@code callWithTimeout} and {@code callAndWait}
 * methods are shorthands for {@link KiteCall}.
 *
 * <h2>Calls</h2> Every call sends exactly one envelope {@code {kite, authentication,
 * withArgs, responseCallback}}; {@code withArgs} is always an array. A
 * {@link dev.kite.dnode.KiteCallback} anywhere in the arguments (top level, or inside
 * lists, maps and records) reaches the peer as a function it can call back. A call fails
 * with a {@link KiteException} whose {@link KiteException#type() type} is the remote
 * error's type, or one of Go's local types: {@code timeout} (no response within the
 * call's timeout; the response callback is then forgotten), {@code disconnect} (the
 * connection dropped while the call was pending, or the dial it waited for failed),
 * {@code sendError} (not connected and not dialing, closed, or the transport refused the
 * message), {@code invalidResponse} (the answer had neither shape of
 * {@link KiteResponses}).
 *
 * <h2>Connection lifecycle</h2> {@link #connect()} dials once; with
 * {@link ReconnectPolicy#enabled() reconnection} it keeps dialing with exponential
 * backoff until it succeeds, and dials again after every lost connection (Go's
 * {@code DialForever}). A call made while a dial is in progress or scheduled waits for
 * that dial, but never longer than its own timeout (which covers the wait and the call
 * together), and fails with {@code timeout} if no connection comes in time, or with
 * {@code disconnect} if the dial fails; it never blocks the calling thread. A call made
 * while neither connected nor dialing fails at once with {@code sendError}, as in Go.
 * Every reconnect is a new session: functions passed on the old connection are gone, and
 * the peer learns our identity again from the first call. {@link #close()} ends it all,
 * whatever state the dial is in.
 *
 * <h2>Threads</h2>
 * <ul>
 * <li>Any thread may call any method, and no method blocks except
 * {@link KiteCall#await()} and {@code callAndWait} (bounded by the call's timeout).
 * Encoding happens on the calling thread; sends are serialised by one bounded
 * {@link org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator} per
 * session.</li>
 * <li>Incoming frames are parsed on the transport's thread (the WebSocket reader, or the
 * XHR poll loop) by the {@link dev.kite.rpc.KiteDispatcher}, which runs the peer's method
 * calls on the shared executor and the peer's invocations of our functions (responses and
 * {@link dev.kite.dnode.KiteCallback}s) one at a time, in arrival order, on the shared
 * executor. A {@link dev.kite.dnode.KiteCallback} that blocks therefore delays every
 * later callback and response on this connection — do not wait for a call on the same
 * connection from inside a {@link dev.kite.dnode.KiteCallback}.</li>
 * <li>Returned futures are completed on the shared executor, never on the transport or
 * callback thread, so dependent stages may block.</li>
 * <li>Timeouts and reconnect delays run on the factory's {@code TaskScheduler}; connect
 * and disconnect listeners run on the shared executor.</li>
 * </ul>
 */
public final class KiteConnection implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(KiteConnection.class);

	private final KiteClientOptions options;

	private final KiteClientFactory.Resources resources;

	private final KiteConnector connector;

	private final List<Runnable> connectListeners = new CopyOnWriteArrayList<>();

	private final List<Runnable> disconnectListeners = new CopyOnWriteArrayList<>();

	private final List<Runnable> tokenExpiredListeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable Auth auth;

	KiteConnection(KiteClientOptions options, KiteClientFactory.Resources resources, KiteTransports transports) {
		this.options = options;
		this.resources = resources;
		this.auth = options.auth();
		this.connector = new KiteConnector(options, resources, transports,
				(session) -> new Link(session, options, resources, this::auth, this::callFailed),
				(link) -> notifyListeners(this.connectListeners),
				(link, status) -> notifyListeners(this.disconnectListeners), this::endpointResolved);
	}

	private void endpointResolved(KiteEndpoint endpoint) {
		Auth resolvedAuth = endpoint.auth();
		if (resolvedAuth != null) {
			this.auth = resolvedAuth;
		}
	}

	/** The options this connection was created with. */
	public KiteClientOptions options() {
		return this.options;
	}

	/**
	 * The URL this connection is connected to, or dialed last: the options' URL, or for a
	 * connection with an {@link KiteClientOptions#endpointResolver() endpoint resolver}
	 * the last resolved one (the options' URL, only a label, before the first
	 * resolution).
	 */
	public URI currentUrl() {
		return this.connector.currentUrl();
	}

	/**
	 * The endpoint the resolver chose for the current (or last) dial: its URL, auth and
	 * the kite picked; {@code null} for a fixed-URL connection or before the first
	 * resolution.
	 */
	public @Nullable KiteEndpoint endpoint() {
		return this.connector.endpoint();
	}

	/** The {@code authentication} sent with calls, or {@code null}. */
	public @Nullable Auth auth() {
		return this.auth;
	}

	/**
	 * Replaces the {@code authentication} sent with later calls (e.g. a renewed token). A
	 * resolved endpoint's auth replaces it again at the next dial.
	 * @param auth the new authentication, or {@code null} for none
	 */
	public void setAuth(@Nullable Auth auth) {
		this.auth = auth;
	}

	/** Whether a connection is open now. */
	public boolean isConnected() {
		return this.connector.link() != null;
	}

	/** Whether {@link #close()} was called. */
	public boolean isClosed() {
		return this.connector.isClosed();
	}

	/**
	 * Adds a listener run (on the shared executor) after every successful dial, including
	 * reconnects. Kontrol registration re-registers from here.
	 * @param listener the listener
	 */
	public void onConnect(Runnable listener) {
		this.connectListeners.add(Objects.requireNonNull(listener));
	}

	/**
	 * Adds a listener run (on the shared executor) after every lost connection, and on
	 * {@link #close()} if connected; pending calls have already failed when it runs.
	 * @param listener the listener
	 */
	public void onDisconnect(Runnable listener) {
		this.disconnectListeners.add(Objects.requireNonNull(listener));
	}

	/**
	 * Adds a listener run (on the shared executor) whenever a call fails with an
	 * {@code authenticationError} whose message contains {@code token is expired}, as
	 * Go's {@code OnTokenExpire}: the token renewer renews at once and
	 * {@link #setAuth(Auth) swaps} the token (PROTOCOL §7).
	 * @param listener the listener
	 */
	public void onTokenExpired(Runnable listener) {
		this.tokenExpiredListeners.add(Objects.requireNonNull(listener));
	}

	/**
	 * When this side last pinged the peer in answer to its {@code kite.heartbeat} on the
	 * current connection (how a kite registered with Kontrol over this connection knows
	 * it keeps Kontrol informed).
	 * @return the instant of the last ping, or empty when not connected or never pinged
	 */
	public Optional<Instant> lastHeartbeat() {
		Link current = this.connector.link();
		Object last = (current != null)
				? current.kiteSession().attributes().get(BuiltinKiteMethods.LAST_HEARTBEAT_ATTRIBUTE) : null;
		return (last instanceof Instant instant) ? Optional.of(instant) : Optional.empty();
	}

	/** The number of calls waiting for their response (for metrics and leak tests). */
	public int pendingCallCount() {
		Link current = this.connector.link();
		return (current != null) ? current.pendingCallCount() : 0;
	}

	/**
	 * The number of our functions the peer can still call on the current connection:
	 * pending response callbacks plus every {@link dev.kite.dnode.KiteCallback} passed in
	 * arguments (for metrics and leak tests).
	 */
	public int callbackCount() {
		Link current = this.connector.link();
		return (current != null) ? current.callbackCount() : 0;
	}

	// ---------------------------------------------------------------- connecting

	/**
	 * Dials the kite unless connected or dialing already. Without reconnection the future
	 * fails with a {@link KiteConnectException} when the dial fails; with reconnection it
	 * completes at the first successful dial, however many attempts that takes, and fails
	 * only if the connection is closed first. Never blocks: join the future only where
	 * waiting is acceptable.
	 * @return completes with this connection once connected
	 */
	public CompletableFuture<KiteConnection> connect() {
		return this.connector.connect().thenApply((link) -> this);
	}

	/**
	 * Closes the connection and stops reconnecting, whatever state the dial is in.
	 * Pending calls fail with {@code disconnect}; later calls fail with
	 * {@code sendError}. Idempotent; never waits for the network.
	 */
	@Override
	public void close() {
		Link closed = this.connector.close();
		if (closed != null) {
			notifyListeners(this.disconnectListeners);
		}
		this.resources.forget(this);
	}

	// ---------------------------------------------------------------- calls

	/**
	 * Starts a call of a method:
	 * {@code connection.method("square").args(4).retrieve(Double.class)}.
	 * @param method the method name, e.g. {@code square}
	 * @return the call, to give arguments and a timeout and send
	 */
	public KiteCall method(String method) {
		return new KiteCall(this, method);
	}

	/**
	 * Calls a method with the default timeout;
	 * {@code method(method).args(arguments).retrieve()}.
	 * @param method the method name, e.g. {@code square}
	 * @param arguments the arguments ({@code withArgs}); may contain
	 * {@link dev.kite.dnode.KiteCallback}s
	 * @return the result ({@link tools.jackson.databind.node.NullNode} for {@code null});
	 * fails with a {@link KiteException}
	 */
	public CompletableFuture<JsonNode> call(String method, @Nullable Object @Nullable ... arguments) {
		return method(method).args(arguments).retrieve();
	}

	/**
	 * Calls a method and reads the result as a type;
	 * {@code method(method).args(arguments).retrieve(resultType)}.
	 * @param <T> the result type
	 * @param method the method name
	 * @param resultType the result type
	 * @param arguments the arguments
	 * @return the result; fails with a {@link KiteException} ({@code invalidResponse} if
	 * the result cannot be read as the type)
	 */
	public <T> CompletableFuture<@Nullable T> call(String method, Class<T> resultType,
			@Nullable Object @Nullable ... arguments) {
		return method(method).args(arguments).retrieve(resultType);
	}

	/**
	 * Calls a method and reads the result as a generic type, e.g. {@code new
	 * ParameterizedTypeReference<List<Kite>>() {}}.
	 * @param <T> the result type
	 * @param method the method name
	 * @param resultType the result type
	 * @param arguments the arguments
	 * @return the result
	 */
	public <T> CompletableFuture<@Nullable T> call(String method, ParameterizedTypeReference<T> resultType,
			@Nullable Object @Nullable ... arguments) {
		return method(method).args(arguments).retrieve(resultType);
	}

	/**
	 * Calls a method and reads the result as a generic type given as a Jackson
	 * {@link TypeReference}.
	 * @param <T> the result type
	 * @param method the method name
	 * @param resultType the result type
	 * @param arguments the arguments
	 * @return the result
	 */
	public <T> CompletableFuture<@Nullable T> call(String method, TypeReference<T> resultType,
			@Nullable Object @Nullable ... arguments) {
		return method(method).args(arguments).retrieve(resultType);
	}

	/**
	 * Calls a method with its own timeout (Go's {@code TellWithTimeout});
	 * {@code method(method).args(arguments).timeout(timeout).retrieve()}.
	 * @param timeout how long to wait for the response
	 * @param method the method name
	 * @param arguments the arguments
	 * @return the result; fails with {@code timeout} when no response arrives in time
	 */
	public CompletableFuture<JsonNode> callWithTimeout(Duration timeout, String method,
			@Nullable Object @Nullable ... arguments) {
		return method(method).args(arguments).timeout(timeout).retrieve();
	}

	/**
	 * Calls a method with its own timeout and reads the result as a type.
	 * @param <T> the result type
	 * @param timeout how long to wait for the response
	 * @param method the method name
	 * @param resultType the result type
	 * @param arguments the arguments
	 * @return the result
	 */
	public <T> CompletableFuture<@Nullable T> callWithTimeout(Duration timeout, String method, Class<T> resultType,
			@Nullable Object @Nullable ... arguments) {
		return method(method).args(arguments).timeout(timeout).retrieve(resultType);
	}

	/**
	 * Calls a method and waits for the result, at most the default timeout;
	 * {@code method(method).args(arguments).await()}.
	 * @param method the method name
	 * @param arguments the arguments
	 * @return the result ({@link tools.jackson.databind.node.NullNode} for {@code null})
	 * @throws KiteException the remote error, or a local one ({@code timeout},
	 * {@code disconnect}, {@code sendError}, {@code invalidResponse})
	 */
	public JsonNode callAndWait(String method, @Nullable Object @Nullable ... arguments) {
		return method(method).args(arguments).await();
	}

	/**
	 * Calls a method and waits for the result at most {@code timeout}.
	 * @param timeout how long to wait
	 * @param method the method name
	 * @param arguments the arguments
	 * @return the result ({@link tools.jackson.databind.node.NullNode} for {@code null})
	 * @throws KiteException the remote or local error
	 */
	public JsonNode callAndWait(Duration timeout, String method, @Nullable Object @Nullable ... arguments) {
		return method(method).args(arguments).timeout(timeout).await();
	}

	/**
	 * Calls a method, waits for the result at most the default timeout, and reads it as a
	 * type.
	 * @param <T> the result type
	 * @param method the method name
	 * @param resultType the result type
	 * @param arguments the arguments
	 * @return the result
	 * @throws KiteException the remote or local error
	 */
	public <T> @Nullable T callAndWait(String method, Class<T> resultType, @Nullable Object @Nullable ... arguments) {
		return method(method).args(arguments).await(resultType);
	}

	/**
	 * Calls a method and waits for the result at most {@code timeout}, then reads it as a
	 * type.
	 * @param <T> the result type
	 * @param timeout how long to wait
	 * @param method the method name
	 * @param resultType the result type
	 * @param arguments the arguments
	 * @return the result
	 * @throws KiteException the remote or local error
	 */
	public <T> @Nullable T callAndWait(Duration timeout, String method, Class<T> resultType,
			@Nullable Object @Nullable ... arguments) {
		return method(method).args(arguments).timeout(timeout).await(resultType);
	}

	/**
	 * Sends a call on the open link, or after the dial in progress (see "Connection
	 * lifecycle").
	 * @param method the method name
	 * @param timeout bounds the wait for a dial and the call together
	 * @param arguments the {@code withArgs}
	 * @return the result
	 */
	CompletableFuture<JsonNode> send(String method, Duration timeout, @Nullable Object[] arguments) {
		if (this.connector.isClosed()) {
			return CompletableFuture.failedFuture(KiteResponses.sendError("can't send, client is closed"));
		}
		Link current = this.connector.link();
		if (current != null) {
			return current.call(method, timeout, arguments);
		}
		CompletableFuture<Link> dialing = this.connector.dialing();
		if (dialing == null) {
			current = this.connector.link(); // connected meanwhile?
			return (current != null) ? current.call(method, timeout, arguments) : CompletableFuture
				.failedFuture(KiteResponses.sendError("can't send, session is not established yet"));
		}
		return sendAfterDial(dialing, method, timeout, arguments);
	}

	/**
	 * Waits (without a thread) for a dial, at most {@code timeout}, then sends with what
	 * is left of it. The timer and the dial race to complete {@code result}; whichever
	 * loses does nothing.
	 */
	private CompletableFuture<JsonNode> sendAfterDial(CompletableFuture<Link> dialing, String method, Duration timeout,
			@Nullable Object[] arguments) {
		TaskScheduler scheduler = this.resources.scheduler();
		Instant deadline = scheduler.getClock().instant().plus(timeout);
		CompletableFuture<JsonNode> result = new CompletableFuture<>();
		ScheduledFuture<?> timer;
		try {
			timer = scheduler.schedule(() -> PendingCalls.complete(this.resources.executor(), result, null,
					KiteResponses.timeout(method, timeout)), deadline);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(KiteResponses.sendError("can't send, the client is stopping"));
		}
		dialing.whenComplete((link, failure) -> {
			timer.cancel(false);
			if (result.isDone()) {
				return;
			}
			if (failure != null) {
				Throwable cause = Failures.unwrap(failure);
				result.completeExceptionally((cause instanceof KiteException kite) ? kite : new KiteException(
						new KiteError(KiteErrorTypes.DISCONNECT, String.valueOf(cause.getMessage()), "", ""), cause));
				return;
			}
			Duration left = Duration.between(scheduler.getClock().instant(), deadline);
			if (left.isNegative() || left.isZero()) {
				result.completeExceptionally(KiteResponses.timeout(method, timeout));
				return;
			}
			link.call(method, left, arguments).whenComplete((value, error) -> {
				if (error != null) {
					result.completeExceptionally(Failures.unwrap(error));
				}
				else {
					result.complete(value);
				}
			});
		});
		return result;
	}

	ObjectMapper objectMapper() {
		return this.resources.mapper();
	}

	ObservationRegistry observationRegistry() {
		return this.resources.observationRegistry();
	}

	@Nullable KiteClientObservationConvention observationConvention() {
		return this.resources.observationConvention();
	}

	// ---------------------------------------------------------------- helpers

	/** Every failed call passes here (on the executor or the thread that failed it). */
	private void callFailed(String method, KiteException failure) {
		if (logger.isDebugEnabled()) {
			logger.debug("Call of \"{}\" on {} failed: {}", method, currentUrl(), LogSafe.of(failure.getMessage()));
		}
		if (KiteErrorTypes.AUTHENTICATION_ERROR.equals(failure.type())
				&& failure.error().message().contains("token is expired")) {
			notifyListeners(this.tokenExpiredListeners);
		}
	}

	private void notifyListeners(List<Runnable> listeners) {
		for (Runnable listener : listeners) {
			try {
				this.resources.executor().execute(() -> {
					try {
						listener.run();
					}
					catch (RuntimeException ex) {
						logger.warn("A connection listener of the kite client for {} failed", currentUrl(), ex);
					}
				});
			}
			catch (RejectedExecutionException ex) {
				logger.warn("Could not run a connection listener of the kite client for {}", currentUrl());
			}
		}
	}

	@Override
	public String toString() {
		return "KiteConnection[" + currentUrl() + ", " + (isConnected() ? "connected" : "not connected")
				+ (isClosed() ? ", closed" : "") + "]";
	}

}
