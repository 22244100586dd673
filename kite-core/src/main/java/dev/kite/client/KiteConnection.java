package dev.kite.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeSendException;
import dev.kite.dnode.KiteCallback;
import dev.kite.protocol.Auth;
import dev.kite.protocol.GoDurations;
import dev.kite.protocol.KiteError;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.rpc.Failures;
import dev.kite.rpc.KiteSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * One connection to one kite, as Go's {@code kite.Client}: it dials the kite's URL, sends calls
 * with the kite envelope and completes a {@link CompletableFuture} when the peer answers, and serves
 * the peer's own calls on the same connection (Kontrol calls {@code kite.heartbeat} on a registering
 * kite this way). Create clients with {@link KiteClientFactory#create(KiteClientOptions)}.
 *
 * <pre class="code">
 * KiteConnection math = factory.create(KiteClientOptions.builder("http://localhost:3636/kite").build());
 * math.connect().join();
 * int square = math.callAndWait("square", Integer.class, 4);
 * </pre>
 *
 * <h2>Calls</h2>
 * Every call sends exactly one envelope {@code {kite, authentication, withArgs, responseCallback}};
 * {@code withArgs} is always an array. A {@link KiteCallback} anywhere in the arguments (top level, or
 * inside lists, maps and records) reaches the peer as a function it can call back. A call fails with
 * a {@link KiteException} whose {@link KiteException#type() type} is the remote error's type, or one
 * of Go's local types: {@code timeout} (no response within the call's timeout; the response
 * callback is then forgotten), {@code disconnect} (the connection dropped while the call was
 * pending), {@code sendError} (not connected, closed, or the transport refused the message),
 * {@code invalidResponse} (the answer had neither shape of {@link KiteResponses}).
 *
 * <h2>Connection lifecycle</h2>
 * {@link #connect()} dials once; with {@link ReconnectPolicy#enabled() reconnection} it keeps dialing
 * with exponential backoff until it succeeds, and dials again after every lost connection (Go's
 * {@code DialForever}). Calls made while not connected fail at once with {@code sendError}, as in Go.
 * Every reconnect is a new session: functions passed on the old connection are gone, and the peer
 * learns our identity again from the first call. {@link #close()} ends it all.
 *
 * <h2>Threads</h2>
 * <ul>
 * <li>Any thread may call any method. Encoding happens on the calling thread; sends are serialised
 * by one bounded {@link ConcurrentWebSocketSessionDecorator} per connection.</li>
 * <li>Incoming frames are parsed on the transport's thread (the WebSocket reader, or the XHR poll
 * loop) by the {@link dev.kite.rpc.KiteDispatcher}, which runs the peer's method calls on the
 * shared executor and the peer's invocations of our functions (responses and {@link KiteCallback}s)
 * one at a time, in arrival order, on the shared executor. A {@link KiteCallback} that blocks therefore
 * delays every later callback and response on this connection — do not wait for a call on the same
 * connection from inside a {@link KiteCallback}.</li>
 * <li>Returned futures are completed on the shared executor, never on the transport or callback
 * thread, so dependent stages may block.</li>
 * <li>Timeouts and reconnect delays run on the factory's {@code TaskScheduler}; connect and
 * disconnect listeners run on the shared executor.</li>
 * </ul>
 */
public final class KiteConnection implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(KiteConnection.class);

	private static final List<Object> RESPONSE_CALLBACK_PATH = List.of(0, "responseCallback");

	private static final Object[] NO_ARGUMENTS = new Object[0];

	private final KiteClientOptions options;

	private final KiteClientFactory.Resources resources;

	private final KiteTransports transports;

	private final Object lock = new Object();

	private final List<Runnable> connectListeners = new CopyOnWriteArrayList<>();

	private final List<Runnable> disconnectListeners = new CopyOnWriteArrayList<>();

	private final List<Runnable> tokenExpiredListeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable Auth auth;

	private volatile @Nullable Connection connection;

	private volatile boolean closed;

	// Guarded by lock:
	private @Nullable CompletableFuture<KiteConnection> connecting;

	private @Nullable Attempt attempt;

	private @Nullable ScheduledFuture<?> retry;

	private int failedAttempts;

	KiteConnection(KiteClientOptions options, KiteClientFactory.Resources resources, KiteTransports transports) {
		this.options = options;
		this.resources = resources;
		this.transports = transports;
		this.auth = options.auth();
	}

	/** The options this client was created with. */
	public KiteClientOptions options() {
		return this.options;
	}

	/** The {@code authentication} sent with calls, or {@code null}. */
	public @Nullable Auth auth() {
		return this.auth;
	}

	/**
	 * Replaces the {@code authentication} sent with later calls (e.g. a renewed token).
	 * @param auth the new authentication, or {@code null} for none
	 */
	public void setAuth(@Nullable Auth auth) {
		this.auth = auth;
	}

	/** Whether a connection is open now. */
	public boolean isConnected() {
		return this.connection != null;
	}

	/** Whether {@link #close()} was called. */
	public boolean isClosed() {
		return this.closed;
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
	 * {@code authenticationError} whose message contains {@code token is expired}, as Go's
	 * {@code OnTokenExpire}: the token renewer renews at once and {@link #setAuth(Auth) swaps} the
	 * token (PROTOCOL §7).
	 * @param listener the listener
	 */
	public void onTokenExpired(Runnable listener) {
		this.tokenExpiredListeners.add(Objects.requireNonNull(listener));
	}

	/** The number of calls waiting for their response (for metrics and leak tests). */
	public int pendingCallCount() {
		Connection current = this.connection;
		return (current != null) ? current.pending.size() : 0;
	}

	/**
	 * The number of our functions the peer can still call on the current connection: pending
	 * response callbacks plus every {@link KiteCallback} passed in arguments (for metrics and leak
	 * tests).
	 */
	public int callbackCount() {
		Connection current = this.connection;
		return (current != null) ? current.dnode.callbackCount() : 0;
	}

	// ---------------------------------------------------------------- connecting

	/**
	 * Dials the kite unless connected or dialing already. Without reconnection the future fails with
	 * a {@link KiteConnectException} when the dial fails; with reconnection it completes at the first
	 * successful dial, however many attempts that takes, and fails only if the client is closed first.
	 * @return completes with this client once connected
	 */
	public CompletableFuture<KiteConnection> connect() {
		Attempt started;
		CompletableFuture<KiteConnection> result;
		synchronized (this.lock) {
			if (this.closed) {
				return CompletableFuture.failedFuture(KiteResponses.sendError("can't send, client is closed"));
			}
			if (this.connection != null) {
				return CompletableFuture.completedFuture(this);
			}
			if (this.connecting == null) {
				this.connecting = new CompletableFuture<>();
			}
			result = this.connecting;
			started = (this.attempt == null && this.retry == null) ? newAttempt() : null;
		}
		if (started != null) {
			launch(started);
		}
		return result;
	}

	/** Must hold the lock. */
	private Attempt newAttempt() {
		Attempt next = new Attempt();
		this.attempt = next;
		return next;
	}

	private void launch(Attempt started) {
		CompletableFuture<WebSocketSession> dial;
		try {
			dial = this.transports.dial(this.options.url(), this.options.transport(), started,
					this.resources.executor());
		}
		catch (RuntimeException ex) {
			dial = CompletableFuture.failedFuture(ex);
		}
		Duration connectTimeout = this.options.connectTimeout();
		ScheduledFuture<?> timer = this.resources.scheduler()
			.schedule(() -> dialFailed(started, new TimeoutException("No connection within "
					+ GoDurations.format(connectTimeout))), this.resources.scheduler().getClock().instant()
				.plus(connectTimeout));
		dial.whenComplete((session, failure) -> {
			timer.cancel(false);
			if (failure != null) {
				dialFailed(started, failure);
			}
		});
	}

	private void dialFailed(Attempt failed, Throwable failure) {
		Throwable cause = Failures.unwrap(failure);
		CompletableFuture<KiteConnection> waiting = null;
		synchronized (this.lock) {
			if (this.attempt != failed) {
				return; // already connected, superseded, or closed
			}
			this.attempt = null;
			failed.abandoned = true;
			if (this.closed) {
				return;
			}
			if (this.options.reconnect().enabled()) {
				Duration delay = this.options.reconnect().delay(this.failedAttempts++);
				logger.debug("Dialing {} failed ({}); next attempt in {}", this.options.url(), cause.toString(), delay);
				scheduleRetry(delay);
				return;
			}
			waiting = this.connecting;
			this.connecting = null;
		}
		logger.debug("Dialing {} failed: {}", this.options.url(), cause.toString());
		if (waiting != null) {
			complete(waiting, null, new KiteConnectException(this.options.url(), cause));
		}
	}

	/** Must hold the lock. */
	private void scheduleRetry(Duration delay) {
		this.retry = this.resources.scheduler().schedule(() -> {
			Attempt started;
			synchronized (this.lock) {
				this.retry = null;
				if (this.closed || this.connection != null || this.attempt != null) {
					return;
				}
				started = newAttempt();
			}
			launch(started);
		}, this.resources.scheduler().getClock().instant().plus(delay));
	}

	private void established(Attempt opened, WebSocketSession session) {
		WebSocketSession sender = new ConcurrentWebSocketSessionDecorator(session,
				(int) this.resources.limits().sendTimeLimit().toMillis(), this.resources.limits().sendBufferSizeLimit(),
				ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE);
		Connection opening = new Connection(session, sender); // holds nothing yet if it is not kept
		CompletableFuture<KiteConnection> waiting = null;
		boolean kept = false;
		synchronized (this.lock) {
			if (!this.closed && this.attempt == opened) {
				kept = true;
				this.attempt = null;
				this.failedAttempts = 0;
				this.connection = opening;
				opened.connection = opening;
				waiting = this.connecting;
				this.connecting = null;
			}
		}
		if (!kept) {
			closeQuietly(session, CloseStatus.GOING_AWAY); // closed, timed out or superseded meanwhile
			return;
		}
		logger.debug("Connected to {} (session {})", this.options.url(), session.getId());
		if (waiting != null) {
			complete(waiting, this, null);
		}
		notifyListeners(this.connectListeners);
	}

	private void lost(Connection lostConnection, CloseStatus status) {
		boolean wasCurrent;
		Attempt redial = null;
		synchronized (this.lock) {
			wasCurrent = (this.connection == lostConnection);
			if (wasCurrent) {
				this.connection = null;
				if (!this.closed && this.options.reconnect().enabled() && this.attempt == null && this.retry == null) {
					if (this.connecting == null) {
						this.connecting = new CompletableFuture<>();
					}
					redial = newAttempt(); // Go dials again at once, backing off only on failures
				}
			}
		}
		lostConnection.shutdown();
		if (wasCurrent) {
			logger.debug("Disconnected from {}: {}", this.options.url(), status);
			notifyListeners(this.disconnectListeners);
		}
		if (redial != null) {
			launch(redial);
		}
	}

	/**
	 * Closes the connection and stops reconnecting. Pending calls fail with {@code disconnect}; later
	 * calls fail with {@code sendError}. Idempotent.
	 */
	@Override
	public void close() {
		Connection current;
		CompletableFuture<KiteConnection> waiting;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			if (this.retry != null) {
				this.retry.cancel(false);
				this.retry = null;
			}
			current = this.connection;
			this.connection = null;
			this.attempt = null;
			waiting = this.connecting;
			this.connecting = null;
		}
		if (waiting != null) {
			complete(waiting, null, KiteResponses.sendError("can't send, client is closed"));
		}
		if (current != null) {
			current.shutdown();
			closeQuietly(current.session, CloseStatus.NORMAL);
			notifyListeners(this.disconnectListeners);
		}
		this.resources.forget(this);
	}

	// ---------------------------------------------------------------- calls

	/**
	 * Calls a method with the client's default timeout.
	 * @param method the method name, e.g. {@code square}
	 * @param arguments the arguments ({@code withArgs}); may contain {@link KiteCallback}s
	 * @return the result ({@link NullNode} for {@code null}); fails with a {@link KiteException}
	 */
	public CompletableFuture<JsonNode> call(String method, @Nullable Object... arguments) {
		return callWithTimeout(this.options.timeout(), method, arguments);
	}

	/**
	 * Calls a method and reads the result as a type.
	 * @param <T> the result type
	 * @param method the method name
	 * @param resultType the result type
	 * @param arguments the arguments
	 * @return the result; fails with a {@link KiteException} ({@code invalidResponse} if the result
	 * cannot be read as the type)
	 */
	public <T> CompletableFuture<@Nullable T> call(String method, Class<T> resultType, @Nullable Object... arguments) {
		JavaType type = this.resources.mapper().constructType(resultType);
		return call(method, arguments).thenApply((node) -> convert(method, node, type));
	}

	/**
	 * Calls a method and reads the result as a generic type, e.g.
	 * {@code new ParameterizedTypeReference<List<Kite>>() {}}.
	 * @param <T> the result type
	 * @param method the method name
	 * @param resultType the result type
	 * @param arguments the arguments
	 * @return the result
	 */
	public <T> CompletableFuture<@Nullable T> call(String method, ParameterizedTypeReference<T> resultType,
			@Nullable Object... arguments) {
		JavaType type = this.resources.mapper().getTypeFactory().constructType(resultType.getType());
		return call(method, arguments).thenApply((node) -> convert(method, node, type));
	}

	/**
	 * Calls a method and reads the result as a generic type given as a Jackson {@link TypeReference}.
	 * @param <T> the result type
	 * @param method the method name
	 * @param resultType the result type
	 * @param arguments the arguments
	 * @return the result
	 */
	public <T> CompletableFuture<@Nullable T> call(String method, TypeReference<T> resultType,
			@Nullable Object... arguments) {
		JavaType type = this.resources.mapper().getTypeFactory().constructType(resultType);
		return call(method, arguments).thenApply((node) -> convert(method, node, type));
	}

	/**
	 * Calls a method with its own timeout (Go's {@code TellWithTimeout}).
	 * @param timeout how long to wait for the response
	 * @param method the method name
	 * @param arguments the arguments
	 * @return the result; fails with {@code timeout} when no response arrives in time
	 */
	public CompletableFuture<JsonNode> callWithTimeout(Duration timeout, String method,
			@Nullable Object... arguments) {
		Objects.requireNonNull(method, "method");
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("timeout must be positive");
		}
		Connection current = this.connection;
		if (this.closed) {
			return CompletableFuture.failedFuture(KiteResponses.sendError("can't send, client is closed"));
		}
		if (current == null) {
			return CompletableFuture
				.failedFuture(KiteResponses.sendError("can't send, session is not established yet"));
		}
		return current.call(method, timeout, (arguments != null) ? arguments : NO_ARGUMENTS);
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
			@Nullable Object... arguments) {
		JavaType type = this.resources.mapper().constructType(resultType);
		return callWithTimeout(timeout, method, arguments).thenApply((node) -> convert(method, node, type));
	}

	/**
	 * Calls a method and waits for the result, at most the client's default timeout.
	 * @param method the method name
	 * @param arguments the arguments
	 * @return the result ({@link NullNode} for {@code null})
	 * @throws KiteException the remote error, or a local one ({@code timeout}, {@code disconnect},
	 * {@code sendError}, {@code invalidResponse})
	 */
	public JsonNode callAndWait(String method, @Nullable Object... arguments) {
		return await(callWithTimeout(this.options.timeout(), method, arguments), this.options.timeout(), method);
	}

	/**
	 * Calls a method and waits for the result at most {@code timeout}.
	 * @param timeout how long to wait
	 * @param method the method name
	 * @param arguments the arguments
	 * @return the result ({@link NullNode} for {@code null})
	 * @throws KiteException the remote or local error
	 */
	public JsonNode callAndWait(Duration timeout, String method, @Nullable Object... arguments) {
		return await(callWithTimeout(timeout, method, arguments), timeout, method);
	}

	/**
	 * Calls a method, waits for the result at most the client's default timeout, and reads it as a
	 * type.
	 * @param <T> the result type
	 * @param method the method name
	 * @param resultType the result type
	 * @param arguments the arguments
	 * @return the result
	 * @throws KiteException the remote or local error
	 */
	public <T> @Nullable T callAndWait(String method, Class<T> resultType, @Nullable Object... arguments) {
		return callAndWait(this.options.timeout(), method, resultType, arguments);
	}

	/**
	 * Calls a method and waits for the result at most {@code timeout}, then reads it as a type.
	 * @param <T> the result type
	 * @param timeout how long to wait
	 * @param method the method name
	 * @param resultType the result type
	 * @param arguments the arguments
	 * @return the result
	 * @throws KiteException the remote or local error
	 */
	public <T> @Nullable T callAndWait(Duration timeout, String method, Class<T> resultType,
			@Nullable Object... arguments) {
		return await(callWithTimeout(timeout, method, resultType, arguments), timeout, method);
	}

	private static <T> T await(CompletableFuture<T> future, Duration timeout, String method) {
		try {
			// The call's own timer completes the future; the margin only guards against a stopped scheduler.
			return future.get(timeout.toMillis() + 5_000, java.util.concurrent.TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = Failures.unwrap(ex);
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new CompletionException(cause);
		}
		catch (TimeoutException ex) {
			future.cancel(false);
			throw KiteResponses.timeout(method, timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			future.cancel(false);
			throw new KiteException(KiteErrorTypes.SEND_ERROR, "Interrupted while waiting for \"" + method + "\"");
		}
	}

	private <T> @Nullable T convert(String method, JsonNode node, JavaType type) {
		if (type.getRawClass() == JsonNode.class) {
			@SuppressWarnings("unchecked")
			T same = (T) node;
			return same;
		}
		try {
			return this.resources.mapper().treeToValue(node, type);
		}
		catch (JacksonException ex) {
			throw KiteResponses.invalidResponse(
					"Cannot read the result of \"" + method + "\" as " + type.toCanonical() + ": " + ex.getOriginalMessage());
		}
	}

	// ---------------------------------------------------------------- helpers

	private <T> void complete(CompletableFuture<T> future, @Nullable T value, @Nullable Throwable failure) {
		Runnable completion = (failure != null) ? () -> future.completeExceptionally(failure)
				: () -> future.complete(value);
		try {
			this.resources.executor().execute(completion);
		}
		catch (RejectedExecutionException ex) {
			completion.run();
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
						logger.warn("A connection listener of the kite client for {} failed", this.options.url(), ex);
					}
				});
			}
			catch (RejectedExecutionException ex) {
				logger.warn("Could not run a connection listener of the kite client for {}", this.options.url());
			}
		}
	}

	private static void closeQuietly(WebSocketSession session, CloseStatus status) {
		try {
			session.close(status);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Closing session {} failed: {}", session.getId(), ex.toString());
		}
	}

	@Override
	public String toString() {
		return "KiteConnection[" + this.options.url() + ", " + (isConnected() ? "connected" : "not connected")
				+ (this.closed ? ", closed" : "") + "]";
	}

	// ---------------------------------------------------------------- per connection

	/** A call waiting for its response. */
	private static final class PendingCall {

		final String method;

		final CompletableFuture<JsonNode> future = new CompletableFuture<>();

		volatile long id = -1;

		volatile @Nullable ScheduledFuture<?> timer;

		PendingCall(String method) {
			this.method = method;
		}

	}

	/**
	 * One open connection: the transport session, its dnode state, the session the dispatcher serves
	 * the peer's calls on, and the calls waiting for responses. Replaced on every reconnect.
	 */
	private final class Connection {

		final WebSocketSession session;

		final WebSocketSession sender;

		final DnodeConnection dnode;

		final KiteSession kiteSession;

		final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();

		private final AtomicBoolean shutDown = new AtomicBoolean();

		Connection(WebSocketSession session, WebSocketSession sender) {
			this.session = session;
			this.sender = sender;
			this.dnode = new DnodeConnection(KiteConnection.this.resources.mapper(),
					(text) -> sender.sendMessage(new TextMessage(text)));
			this.kiteSession = new KiteSession(session.getId(), this.dnode,
					!KiteConnection.this.options.authenticateIncoming(), KiteConnection.this.resources.executor());
		}

		CompletableFuture<JsonNode> call(String method, Duration timeout, Object[] arguments) {
			PendingCall call = new PendingCall(method);
			KiteCallback responder = (response) -> respond(call, response);
			CallEnvelope envelope = new CallEnvelope(KiteConnection.this.options.kite(), KiteConnection.this.auth, arguments,
					responder);
			DnodeConnection.EncodedMessage message;
			try {
				message = this.dnode.encodeMessage(method, envelope);
			}
			catch (DnodeSendException ex) {
				return CompletableFuture.failedFuture(new KiteException(
						new KiteError(KiteErrorTypes.SEND_ERROR, ex.getMessage(), "", ""), ex));
			}
			call.id = message.callbackIdAt(RESPONSE_CALLBACK_PATH);
			this.pending.put(call.id, call);
			if (!this.dnode.isOpen()) {
				finish(call, null, KiteResponses.disconnect()); // the connection dropped meanwhile
				return call.future;
			}
			call.timer = KiteConnection.this.resources.scheduler()
				.schedule(() -> finish(call, null, KiteResponses.timeout(method, timeout)),
						KiteConnection.this.resources.scheduler().getClock().instant().plus(timeout));
			try {
				this.sender.sendMessage(new TextMessage(message.text()));
			}
			catch (IOException | RuntimeException ex) {
				for (long id : message.callbackIds()) {
					this.dnode.removeCallback(id); // Go forgets a message's functions when its send fails
				}
				finish(call, null, new KiteException(new KiteError(KiteErrorTypes.SEND_ERROR,
						"can't send: " + ex.getMessage(), "", ""), ex));
			}
			return call.future;
		}

		private void respond(PendingCall call, JsonNode[] response) {
			JsonNode result;
			try {
				result = KiteResponses.read(response);
			}
			catch (KiteException ex) {
				finish(call, null, ex);
				return;
			}
			finish(call, (result != null) ? result : NullNode.getInstance(), null);
		}

		/** Completes a call once: the first of response, timeout, send failure and disconnect wins. */
		private void finish(PendingCall call, @Nullable JsonNode result, @Nullable KiteException failure) {
			if (!this.pending.remove(call.id, call)) {
				return;
			}
			ScheduledFuture<?> timer = call.timer;
			if (timer != null) {
				timer.cancel(false);
			}
			this.dnode.removeCallback(call.id);
			if (failure != null) {
				if (logger.isDebugEnabled()) {
					logger.debug("Call of \"{}\" on {} failed: {}", call.method, KiteConnection.this.options.url(),
							failure.getMessage());
				}
				if (KiteErrorTypes.AUTHENTICATION_ERROR.equals(failure.type())
						&& failure.error().message().contains("token is expired")) {
					notifyListeners(KiteConnection.this.tokenExpiredListeners);
				}
			}
			complete(call.future, result, failure);
		}

		/** Forgets every function and fails every pending call with {@code disconnect}. Idempotent. */
		void shutdown() {
			if (!this.shutDown.compareAndSet(false, true)) {
				return;
			}
			this.kiteSession.close();
			for (PendingCall call : this.pending.values()) {
				finish(call, null, KiteResponses.disconnect());
			}
		}

	}

	/** One dial: receives the transport's events for the session it opens. */
	private final class Attempt implements WebSocketHandler {

		volatile @Nullable Connection connection;

		volatile boolean abandoned;

		@Override
		public void afterConnectionEstablished(WebSocketSession session) {
			if (this.abandoned) {
				closeQuietly(session, CloseStatus.GOING_AWAY);
				return;
			}
			established(this, session);
		}

		@Override
		public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
			Connection current = this.connection;
			if (current != null && message instanceof TextMessage text) {
				KiteConnection.this.resources.dispatcher().dispatch(current.kiteSession, text.getPayload());
			}
		}

		@Override
		public void handleTransportError(WebSocketSession session, Throwable exception) {
			logger.debug("Transport error on the connection to {}: {}", KiteConnection.this.options.url(),
					exception.toString());
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
			Connection current = this.connection;
			if (current != null) {
				lost(current, closeStatus);
			}
		}

		@Override
		public boolean supportsPartialMessages() {
			return false;
		}

	}

}
