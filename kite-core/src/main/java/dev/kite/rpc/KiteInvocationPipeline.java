package dev.kite.rpc;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.dnode.DnodeSendException;
import dev.kite.dnode.RemoteCallback;
import dev.kite.observation.DefaultKiteServerObservationConvention;
import dev.kite.observation.KiteServerObservationConvention;
import dev.kite.observation.KiteServerRequestObservationContext;
import dev.kite.protocol.Auth;
import dev.kite.protocol.CallResponse;
import dev.kite.protocol.KiteError;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.LogSafe;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import tools.jackson.core.JacksonException;

/**
 * Serves one checked call (PROTOCOL §3.6, second half): authenticate (unless the method
 * opts out, authentication is disabled, or we dialed the connection), set the
 * {@code SecurityContext}, take a token from the method's throttle, run the applicable
 * interceptors' {@code beforeInvocation}, invoke the handler, and complete exactly once:
 * the entered interceptors' {@code afterInvocation} (which may replace the outcome) and
 * then their {@code afterCompletion}, both in reverse order, then one {@code {error,
 * result}} reply. A {@link CompletionStage} result completes when the stage does, with
 * the call's authentication set again for the completion.
 *
 * <p>
 * Error replies never carry exception texts: the {@link CompositeKiteExceptionResolver}
 * chooses what the caller sees, and a {@code genericError} is logged with its stack trace
 * and request id.
 *
 * <p>
 * Each call is one {@code kite.server.requests} observation when the
 * {@link ObservationRegistry} is not the no-op one: started before authentication,
 * current while the handler runs, stopped after the reply with the reply's error type.
 * With {@link ObservationRegistry#NOOP} the pipeline creates nothing for it.
 *
 * <p>
 * Thread safety: immutable. {@link #run} runs on the dispatcher's executor (never a
 * network thread); an asynchronous completion runs on whatever thread completes the
 * stage. The {@code SecurityContext} of the running thread is restored before either
 * returns.
 */
final class KiteInvocationPipeline {

	private static final Logger logger = LoggerFactory.getLogger(KiteInvocationPipeline.class);

	private final AuthenticationManager authenticationManager;

	private final List<KiteMethodInterceptor> interceptors;

	/**
	 * The interceptors that apply to each method, by wire name, computed on the method's
	 * first call (registered methods only: the map is as big as the registry).
	 */
	private final ConcurrentMap<String, List<KiteMethodInterceptor>> interceptorsByMethod = new ConcurrentHashMap<>();

	private final CompositeKiteExceptionResolver exceptionResolver;

	private final boolean authenticationEnabled;

	private final PeerWarnings warnings;

	private final ObservationRegistry observationRegistry;

	private final @Nullable KiteServerObservationConvention observationConvention;

	private final SecurityContextHolderStrategy securityContextHolder = SecurityContextHolder
		.getContextHolderStrategy();

	/**
	 * @param authenticationManager verifies the envelope's {@code authentication}
	 * @param interceptors interceptors, in order
	 * @param exceptionResolver turns failures into errors
	 * @param authenticationEnabled {@code false} skips authentication for every method
	 * @param warnings the WARN budget of each connection
	 * @param observationRegistry observes every call, {@link ObservationRegistry#NOOP}
	 * for none
	 * @param observationConvention replaces the default convention, or {@code null}
	 */
	KiteInvocationPipeline(AuthenticationManager authenticationManager,
			List<? extends KiteMethodInterceptor> interceptors, CompositeKiteExceptionResolver exceptionResolver,
			boolean authenticationEnabled, PeerWarnings warnings, ObservationRegistry observationRegistry,
			@Nullable KiteServerObservationConvention observationConvention) {
		this.authenticationManager = authenticationManager;
		this.interceptors = List.copyOf(interceptors);
		this.exceptionResolver = exceptionResolver;
		this.authenticationEnabled = authenticationEnabled;
		this.warnings = warnings;
		this.observationRegistry = observationRegistry;
		this.observationConvention = observationConvention;
	}

	/**
	 * Serves a call and answers it through {@code responder} exactly once. Never throws.
	 * @param session the connection the call arrived on
	 * @param method the method called
	 * @param requestId the call's request id
	 * @param envelope the checked envelope
	 * @param responder where the outcome goes
	 */
	void run(KiteSession session, KiteMethodDefinition method, String requestId, KiteEnvelope envelope,
			RemoteCallback responder) {
		List<KiteMethodInterceptor> interceptors = interceptorsFor(method);
		KiteInvocation invocation = null;
		int entered = 0; // interceptors whose beforeInvocation ran: only they see
							// afterCompletion
		SecurityContext previous = this.securityContextHolder.getContext();
		Observation observation = observe(method, requestId);
		Observation.Scope scope = observation.openScope();
		try {
			Authentication authentication = authenticate(session, method, envelope);
			KiteThrottle throttle = method.throttle();
			if (throttle != null && !throttle.tryAcquire()) {
				// Go takes the token after authentication and answers before any
				// handler: no interceptor, no exception (a flood must stay cheap).
				session.callFinished();
				reply(session, responder, method.name(),
						CallResponse.failure(new KiteError(KiteErrorTypes.REQUEST_LIMIT_ERROR,
								KiteDispatcher.REQUEST_RATE_EXCEEDED, "", requestId)));
				stopObservation(observation, KiteErrorTypes.REQUEST_LIMIT_ERROR, null);
				return;
			}
			invocation = invocation(session, method, requestId, envelope, authentication);
			if (authentication != null) {
				this.securityContextHolder.setContext(contextWith(authentication));
			}
			for (KiteMethodInterceptor interceptor : interceptors) {
				interceptor.beforeInvocation(invocation);
				entered++;
			}
			Object result = method.handler().handle(invocation);
			if (result instanceof CompletionStage<?> stage) {
				KiteInvocation async = invocation;
				int asyncEntered = entered;
				stage
					.whenComplete((value, failure) -> withAuthentication(async.authentication(), () -> complete(session,
							async, interceptors, asyncEntered, responder, value, failure, observation)));
			}
			else {
				complete(session, invocation, interceptors, entered, responder, result, null, observation);
			}
		}
		catch (Throwable ex) {
			if (invocation == null) { // authentication failed
				invocation = invocation(session, method, requestId, envelope, null);
			}
			complete(session, invocation, interceptors, entered, responder, null, ex, observation);
		}
		finally {
			scope.close();
			this.securityContextHolder.setContext(previous);
		}
	}

	private List<KiteMethodInterceptor> interceptorsFor(KiteMethodDefinition method) {
		if (this.interceptors.isEmpty()) {
			return this.interceptors;
		}
		List<KiteMethodInterceptor> applicable = this.interceptorsByMethod.get(method.name());
		if (applicable == null) {
			applicable = this.interceptorsByMethod.computeIfAbsent(method.name(),
					(name) -> this.interceptors.stream()
						.filter((interceptor) -> interceptor.appliesTo(method))
						.toList());
		}
		return applicable;
	}

	/**
	 * Starts the call's observation; {@link Observation#NOOP} without a registry, so the
	 * hot path then allocates nothing for it. Only registered methods get here, so the
	 * method name cannot be made up by a peer.
	 */
	private Observation observe(KiteMethodDefinition method, String requestId) {
		if (this.observationRegistry.isNoop()) {
			return Observation.NOOP;
		}
		return Observation
			.createNotStarted(this.observationConvention, DefaultKiteServerObservationConvention.INSTANCE,
					() -> new KiteServerRequestObservationContext(method.name(), requestId), this.observationRegistry)
			.start();
	}

	/**
	 * Stops the call's observation with the reply's error type ({@code null}: success).
	 */
	private static void stopObservation(Observation observation, @Nullable String errorType,
			@Nullable Throwable cause) {
		if (observation.isNoop()) {
			return;
		}
		if (observation.getContext() instanceof KiteServerRequestObservationContext context) {
			context.setErrorType(errorType);
		}
		if (cause != null) {
			observation.error(cause);
		}
		observation.stop();
	}

	private @Nullable Authentication authenticate(KiteSession session, KiteMethodDefinition method,
			KiteEnvelope envelope) {
		if (!method.authenticated() || !this.authenticationEnabled || session.isTrusted()) {
			return null;
		}
		Auth auth = envelope.auth();
		if (auth == null) {
			throw new AuthenticationCredentialsNotFoundException("No authentication information is provided");
		}
		Authentication result = this.authenticationManager
			.authenticate(KiteAuthenticationToken.unauthenticated(auth.type(), auth.key(), session.caller()));
		session.verifiedUsername(result.getName());
		return result;
	}

	private static KiteInvocation invocation(KiteSession session, KiteMethodDefinition method, String requestId,
			KiteEnvelope envelope, @Nullable Authentication authentication) {
		String authType = (authentication instanceof KiteAuthenticationToken token) ? token.getAuthType() : null;
		KiteRequest request = new KiteRequest(method.name(), session.caller().username(), authType, session.caller(),
				requestId);
		return new KiteInvocation(request, envelope.withArgs(), session, authentication);
	}

	/**
	 * Runs a continuation with the call's authentication in the SecurityContext, then
	 * restores it.
	 */
	private void withAuthentication(@Nullable Authentication authentication, Runnable continuation) {
		if (authentication == null) {
			continuation.run();
			return;
		}
		SecurityContext previous = this.securityContextHolder.getContext();
		this.securityContextHolder.setContext(contextWith(authentication));
		try {
			continuation.run();
		}
		finally {
			this.securityContextHolder.setContext(previous);
		}
	}

	private SecurityContext contextWith(Authentication authentication) {
		SecurityContext context = this.securityContextHolder.createEmptyContext();
		context.setAuthentication(authentication);
		return context;
	}

	private void complete(KiteSession session, KiteInvocation invocation, List<KiteMethodInterceptor> interceptors,
			int entered, RemoteCallback responder, @Nullable Object result, @Nullable Throwable failure,
			Observation observation) {
		try {
			answer(session, invocation, interceptors, entered, responder, result, failure, observation);
		}
		finally {
			session.callFinished(); // balances the dispatcher's tryStartCall
		}
	}

	private void answer(KiteSession session, KiteInvocation invocation, List<KiteMethodInterceptor> interceptors,
			int entered, RemoteCallback responder, @Nullable Object result, @Nullable Throwable failure,
			Observation observation) {
		Throwable cause = (failure != null) ? Failures.unwrap(failure) : null;
		// Go's PostHandle and FinalFunc: innermost first, each may replace the outcome.
		for (int i = entered - 1; i >= 0; i--) {
			try {
				result = interceptors.get(i).afterInvocation(invocation, result, cause);
				cause = null;
			}
			catch (Throwable ex) {
				result = null;
				cause = Failures.unwrap(ex);
			}
		}
		for (int i = entered - 1; i >= 0; i--) {
			KiteMethodInterceptor interceptor = interceptors.get(i);
			try {
				interceptor.afterCompletion(invocation, result, cause);
			}
			catch (RuntimeException ex) {
				logger.warn("Interceptor {} failed after request {}", interceptor, invocation.request().requestId(),
						ex);
			}
		}
		KiteRequest request = invocation.request();
		boolean unsendable = false;
		if (cause == null) {
			try {
				responder.call(CallResponse.success(result));
				stopObservation(observation, null, null);
				return;
			}
			catch (DnodeSendException ex) {
				if (!(ex.getCause() instanceof JacksonException)) {
					logger.debug("Could not answer request {} of session {}: {}", request.requestId(),
							LogSafe.of(session.id()), LogSafe.of(ex.getMessage()));
					// Served: the peer went away before the answer.
					stopObservation(observation, null, null);
					return;
				}
				cause = ex; // the result could not be written as JSON: an internal error
				unsendable = true;
			}
		}
		KiteError error = this.exceptionResolver.resolve(cause, request).withId(request.requestId());
		if (unsendable) {
			// E.g. NaN or ±Inf, which a peer's arguments can produce at will: a budgeted
			// line without the encoder's stack trace.
			this.warnings.warn(logger, session,
					"Kite method '{}' returned a result JSON cannot carry (request id {}): {}",
					LogSafe.of(request.method()), request.requestId(), LogSafe.of(cause.getMessage()));
		}
		else if (KiteErrorTypes.GENERIC_ERROR.equals(error.type())) {
			logger.error("Kite method '{}' failed (request id {}, caller {})", LogSafe.of(request.method()),
					request.requestId(), LogSafe.of(request.caller()), cause);
		}
		else {
			logger.debug("Kite method '{}' answered {} (request id {})", LogSafe.of(request.method()),
					LogSafe.of(error.type()), request.requestId());
		}
		reply(session, responder, request.method(), CallResponse.failure(error));
		stopObservation(observation, error.type(), cause);
	}

	/**
	 * Sends a reply; a connection that went away meanwhile is only logged.
	 * @param session the connection
	 * @param responder the caller's {@code responseCallback}
	 * @param method the called method's name, for the log
	 * @param response the reply
	 */
	static void reply(KiteSession session, RemoteCallback responder, String method, CallResponse response) {
		try {
			responder.call(response);
		}
		catch (DnodeSendException ex) {
			logger.debug("Could not answer a call of '{}' on session {}: {}", LogSafe.of(method),
					LogSafe.of(session.id()), LogSafe.of(ex.getMessage()));
		}
	}

}
