package dev.kite.rpc;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.kite.dnode.DnodeFormatException;
import dev.kite.dnode.DnodeMessage;
import dev.kite.dnode.KiteCallback;
import dev.kite.dnode.RemoteCallback;
import dev.kite.observation.KiteServerObservationConvention;
import dev.kite.protocol.CallResponse;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteError;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.LogSafe;
import dev.kite.protocol.RequestIds;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationManager;
import tools.jackson.databind.JsonNode;

/**
 * The entry of every incoming message (PROTOCOL §3.6).
 *
 * <ol>
 * <li>On the network thread, in arrival order: parse the frame once, attach the peer's
 * functions, route. A callback id goes to the session's serial callback executor; a
 * method name is looked up, its envelope checked ({@link KiteEnvelopeReader}), and the
 * caller's identity recorded if this is the first request.</li>
 * <li>On the executor: the {@link KiteInvocationPipeline} authenticates, runs the
 * interceptors, invokes the handler with the {@code SecurityContext} set, and answers
 * through {@code responseCallback} exactly once with {@code {error, result}}; the
 * {@link CompositeKiteExceptionResolver} picks the error.</li>
 * </ol>
 *
 * <p>
 * Bad input never throws out of {@link #dispatch}: a frame that is not a dnode message is
 * logged and dropped; a malformed call gets an error reply when it carries a
 * {@code responseCallback} and is logged and dropped otherwise. Error replies never
 * contain exception texts; {@code genericError} names the request id, and the log has the
 * stack trace. Everything the peer sent is logged through {@link LogSafe}, and WARN lines
 * about one connection are bounded per minute ({@link KiteServerLimits}).
 *
 * <p>
 * Each connection may have {@link KiteServerLimits#maxInFlightCalls()} calls running or
 * queued; a call beyond that is answered with {@code requestLimitError} at once. A
 * throttled method ({@link KiteThrottle}) is checked after authentication, as in Go.
 *
 * <p>
 * Shutdown: every method call it accepts is counted in its {@link #drain() drain} until
 * its reply is queued; once the drain has begun, a method call is answered with
 * {@code genericError} "server is shutting down" instead (callback invocations, such as
 * replies to our own calls, still pass).
 *
 * <p>
 * Thread safety: immutable apart from the thread-safe {@link KiteDrain};
 * {@link #dispatch} is called by every connection's network thread.
 */
public final class KiteDispatcher {

	/** The message of the {@code genericError} a call gets once the drain has begun. */
	public static final String SHUTTING_DOWN_MESSAGE = "server is shutting down";

	private static final Logger logger = LoggerFactory.getLogger(KiteDispatcher.class);

	private final KiteMethodRegistry registry;

	private final KiteInvocationPipeline pipeline;

	private final Executor executor;

	private final KiteDrain drain = new KiteDrain();

	private final KiteServerLimits limits;

	private final PeerWarnings warnings;

	/** Go's text of a {@code requestLimitError} for a throttled method. */
	static final String REQUEST_RATE_EXCEEDED = "The maximum request rate is exceeded.";

	/**
	 * The text of a {@code requestLimitError} for a connection at its in-flight limit.
	 */
	static final String TOO_MANY_IN_FLIGHT = "Too many requests in flight on this connection.";

	/**
	 * @param registry the methods served
	 * @param authenticationManager verifies the envelope's {@code authentication}
	 * @param exceptionResolvers resolvers asked before the default one, in order
	 * @param interceptors interceptors, in order
	 * @param executor runs handlers (never the network thread)
	 * @param authenticationEnabled {@code false} skips authentication for every method
	 * (Go's {@code DisableAuthentication})
	 */
	public KiteDispatcher(KiteMethodRegistry registry, AuthenticationManager authenticationManager,
			List<? extends KiteExceptionResolver> exceptionResolvers,
			List<? extends KiteMethodInterceptor> interceptors, Executor executor, boolean authenticationEnabled) {
		this(registry, authenticationManager, exceptionResolvers, interceptors, executor, authenticationEnabled,
				KiteServerLimits.defaults(), Clock.systemUTC(), ObservationRegistry.NOOP, null);
	}

	/**
	 * A dispatcher with limits, whose served calls are observed
	 * ({@code kite.server.requests}).
	 * @param registry the methods served
	 * @param authenticationManager verifies the envelope's {@code authentication}
	 * @param exceptionResolvers resolvers asked before the default one, in order
	 * @param interceptors interceptors, in order
	 * @param executor runs handlers (never the network thread)
	 * @param authenticationEnabled {@code false} skips authentication for every method
	 * (Go's {@code DisableAuthentication})
	 * @param limits the per-connection limits
	 * @param clock the time of the WARN line limits
	 * @param observationRegistry observes each call of a registered method;
	 * {@link ObservationRegistry#NOOP} for none
	 * @param observationConvention replaces
	 * {@link dev.kite.observation.DefaultKiteServerObservationConvention}, or
	 * {@code null}
	 */
	public KiteDispatcher(KiteMethodRegistry registry, AuthenticationManager authenticationManager,
			List<? extends KiteExceptionResolver> exceptionResolvers,
			List<? extends KiteMethodInterceptor> interceptors, Executor executor, boolean authenticationEnabled,
			KiteServerLimits limits, Clock clock, ObservationRegistry observationRegistry,
			@Nullable KiteServerObservationConvention observationConvention) {
		this.registry = registry;
		this.warnings = new PeerWarnings(clock, limits.warningsPerMinute());
		this.pipeline = new KiteInvocationPipeline(authenticationManager, interceptors,
				new CompositeKiteExceptionResolver(exceptionResolvers), authenticationEnabled, this.warnings,
				observationRegistry, observationConvention);
		this.executor = executor;
		this.limits = limits;
	}

	/**
	 * The per-connection limits; a transport sizes each connection's callback table by
	 * them.
	 */
	public KiteServerLimits limits() {
		return this.limits;
	}

	/** The methods this dispatcher serves. */
	public KiteMethodRegistry registry() {
		return this.registry;
	}

	/**
	 * The calls in flight, and the switch that refuses new ones when the application
	 * stops.
	 */
	public KiteDrain drain() {
		return this.drain;
	}

	/**
	 * Handles one incoming frame. Never throws.
	 * @param session the connection it arrived on
	 * @param text the frame's text (one dnode message)
	 */
	public void dispatch(KiteSession session, String text) {
		DnodeMessage message;
		try {
			message = session.connection().decode(text);
		}
		catch (DnodeFormatException ex) {
			warn(session, "Dropping a frame from session {}: {}", LogSafe.of(session.id()),
					LogSafe.of(ex.getMessage()));
			return;
		}
		if (message instanceof DnodeMessage.CallbackCall call) {
			dispatchCallback(session, call);
		}
		else if (message instanceof DnodeMessage.MethodCall call) {
			dispatchMethod(session, call);
		}
	}

	private void dispatchCallback(KiteSession session, DnodeMessage.CallbackCall call) {
		KiteCallback callback = session.connection().callback(call.callbackId());
		if (callback == null) {
			logger.debug("Ignoring a call of unknown callback {} on session {}", call.callbackId(),
					LogSafe.of(session.id()));
			return;
		}
		JsonNode[] arguments = call.arguments().values().toArray(JsonNode[]::new);
		try {
			session.callbackExecutor().execute(() -> callback.call(arguments));
		}
		catch (RejectedExecutionException ex) {
			warn(session, "Dropping a callback invocation on session {}: executor is saturated",
					LogSafe.of(session.id()));
		}
	}

	private void dispatchMethod(KiteSession session, DnodeMessage.MethodCall call) {
		RemoteCallback responder = KiteEnvelopeReader.responder(call.arguments());
		if (this.drain.isDraining()) {
			refuseWhileDraining(session, call.method(), responder);
			return;
		}
		KiteMethodDefinition method = this.registry.find(call.method());
		if (method == null) {
			if (responder != null) {
				// The name goes back as sent; the encoder escapes a lone surrogate in it
				// (DnodeConnection), so the frame stays sendable.
				KiteInvocationPipeline.reply(session, responder, call.method(), CallResponse
					.failure(KiteError.of(KiteErrorTypes.METHOD_NOT_FOUND, "Method not found: " + call.method())));
			}
			else {
				logger.debug("Dropping a call of unknown method '{}' without responseCallback",
						LogSafe.of(call.method()));
			}
			return;
		}
		String requestId = RequestIds.next();
		KiteEnvelope envelope;
		try {
			envelope = KiteEnvelopeReader.read(call.arguments(), session.connection().mapper(), session.lastKite(),
					session.lastAuth());
		}
		catch (KiteException ex) {
			warn(session, "Refusing a call of '{}' on session {} (request id {}): {}", LogSafe.of(call.method()),
					LogSafe.of(session.id()), requestId, LogSafe.of(ex.error().message()));
			if (responder != null) {
				KiteInvocationPipeline.reply(session, responder, call.method(),
						CallResponse.failure(ex.error().withId(requestId)));
			}
			return;
		}
		Kite caller = envelope.kite();
		if (caller != null) {
			session.recordCaller(caller);
		}
		if (!this.drain.tryEnter()) { // the drain began since the check above
			refuseWhileDraining(session, call.method(), responder);
			return;
		}
		RemoteCallback target = new CountedOut((responder != null) ? responder : new DiscardingCallback(call.method()),
				this.drain);
		if (!session.tryStartCall(this.limits.maxInFlightCalls())) {
			warn(session, "Refusing a call of '{}' on session {} (request id {}): {} calls in flight",
					LogSafe.of(call.method()), LogSafe.of(session.id()), requestId, this.limits.maxInFlightCalls());
			KiteInvocationPipeline.reply(session, target, call.method(), CallResponse
				.failure(new KiteError(KiteErrorTypes.REQUEST_LIMIT_ERROR, TOO_MANY_IN_FLIGHT, "", requestId)));
			return;
		}
		try {
			this.executor.execute(() -> this.pipeline.run(session, method, requestId, envelope, target));
		}
		catch (RejectedExecutionException ex) {
			// The reply below counts the call out of the drain.
			session.callFinished();
			warn(session, "Refusing a call of '{}' (request id {}): executor is saturated", LogSafe.of(call.method()),
					requestId);
			KiteInvocationPipeline.reply(session, target, call.method(), CallResponse
				.failure(new KiteError(KiteErrorTypes.REQUEST_LIMIT_ERROR, REQUEST_RATE_EXCEEDED, "", requestId)));
		}
	}

	private static void refuseWhileDraining(KiteSession session, String method, @Nullable RemoteCallback responder) {
		if (responder == null) {
			logger.debug("Dropping a call of '{}' without responseCallback: shutting down", LogSafe.of(method));
			return;
		}
		String requestId = RequestIds.next();
		logger.debug("Refusing a call of '{}' (request id {}): shutting down", LogSafe.of(method), requestId);
		KiteInvocationPipeline.reply(session, responder, method, CallResponse
			.failure(new KiteError(KiteErrorTypes.GENERIC_ERROR, SHUTTING_DOWN_MESSAGE, "", requestId)));
	}

	/**
	 * The caller's responseCallback, counting the call out of the drain when it is
	 * answered (even when the answer cannot be sent): the pipeline answers exactly once.
	 */
	private static final class CountedOut implements RemoteCallback {

		private final RemoteCallback responder;

		private final KiteDrain drain;

		private final AtomicBoolean answered = new AtomicBoolean();

		CountedOut(RemoteCallback responder, KiteDrain drain) {
			this.responder = responder;
			this.drain = drain;
		}

		@Override
		public void call(@Nullable Object... arguments) {
			try {
				this.responder.call(arguments);
			}
			finally {
				if (this.answered.compareAndSet(false, true)) {
					this.drain.exit();
				}
			}
		}

		@Override
		public long id() {
			return this.responder.id();
		}

		@Override
		public boolean isOpen() {
			return this.responder.isOpen();
		}

	}

	/**
	 * A WARN line about a connection's input, within the connection's budget of
	 * {@link KiteServerLimits#warningsPerMinute()}: a peer sending garbage in a loop must
	 * not fill the disk. No stack traces: the peer's bad input is not our bug.
	 */
	private void warn(KiteSession session, String format, Object... arguments) {
		this.warnings.warn(logger, session, format, arguments);
	}

	/**
	 * Stands in for a missing responseCallback: the call runs, its outcome is only
	 * logged.
	 */
	private record DiscardingCallback(String method) implements RemoteCallback {

		@Override
		public void call(@Nullable Object... arguments) {
			logger.debug("Discarding the outcome of a call of '{}' that had no responseCallback",
					LogSafe.of(this.method));
		}

		@Override
		public long id() {
			return -1;
		}

		@Override
		public boolean isOpen() {
			return false;
		}

	}

}
