package dev.kite.rpc;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

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
 * stack trace. Everything the peer sent is logged through {@link LogSafe}.
 *
 * <p>
 * Thread safety: immutable; {@link #dispatch} is called by every connection's network
 * thread.
 */
public final class KiteDispatcher {

	private static final Logger logger = LoggerFactory.getLogger(KiteDispatcher.class);

	private final KiteMethodRegistry registry;

	private final KiteInvocationPipeline pipeline;

	private final Executor executor;

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
				ObservationRegistry.NOOP, null);
	}

	/**
	 * A dispatcher whose served calls are observed ({@code kite.server.requests}).
	 * @param registry the methods served
	 * @param authenticationManager verifies the envelope's {@code authentication}
	 * @param exceptionResolvers resolvers asked before the default one, in order
	 * @param interceptors interceptors, in order
	 * @param executor runs handlers (never the network thread)
	 * @param authenticationEnabled {@code false} skips authentication for every method
	 * @param observationRegistry observes each call of a registered method;
	 * {@link ObservationRegistry#NOOP} for none
	 * @param observationConvention replaces
	 * {@link dev.kite.observation.DefaultKiteServerObservationConvention}, or
	 * {@code null}
	 */
	public KiteDispatcher(KiteMethodRegistry registry, AuthenticationManager authenticationManager,
			List<? extends KiteExceptionResolver> exceptionResolvers,
			List<? extends KiteMethodInterceptor> interceptors, Executor executor, boolean authenticationEnabled,
			ObservationRegistry observationRegistry, @Nullable KiteServerObservationConvention observationConvention) {
		this.registry = registry;
		this.pipeline = new KiteInvocationPipeline(authenticationManager, interceptors,
				new CompositeKiteExceptionResolver(exceptionResolvers), authenticationEnabled, observationRegistry,
				observationConvention);
		this.executor = executor;
	}

	/** The methods this dispatcher serves. */
	public KiteMethodRegistry registry() {
		return this.registry;
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
			logger.warn("Dropping a frame from session {}: {}", LogSafe.of(session.id()), LogSafe.of(ex.getMessage()));
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
			logger.warn("Dropping a callback invocation on session {}: executor is saturated",
					LogSafe.of(session.id()));
		}
	}

	private void dispatchMethod(KiteSession session, DnodeMessage.MethodCall call) {
		RemoteCallback responder = KiteEnvelopeReader.responder(call.arguments());
		KiteMethodDefinition method = this.registry.find(call.method());
		if (method == null) {
			if (responder != null) {
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
			logger.warn("Refusing a call of '{}' on session {} (request id {}): {}", LogSafe.of(call.method()),
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
		RemoteCallback target = (responder != null) ? responder : new DiscardingCallback(call.method());
		try {
			this.executor.execute(() -> this.pipeline.run(session, method, requestId, envelope, target));
		}
		catch (RejectedExecutionException ex) {
			logger.warn("Refusing a call of '{}' (request id {}): executor is saturated", LogSafe.of(call.method()),
					requestId);
			KiteInvocationPipeline.reply(session, target, call.method(),
					CallResponse.failure(new KiteError(KiteErrorTypes.REQUEST_LIMIT_ERROR,
							"The maximum request rate is exceeded.", "", requestId)));
		}
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
