package dev.kite.rpc;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.dnode.DnodeSendException;
import dev.kite.dnode.RemoteCallback;
import dev.kite.protocol.Auth;
import dev.kite.protocol.CallResponse;
import dev.kite.protocol.KiteError;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.LogSafe;
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

	private final SecurityContextHolderStrategy securityContextHolder = SecurityContextHolder
		.getContextHolderStrategy();

	/**
	 * @param authenticationManager verifies the envelope's {@code authentication}
	 * @param interceptors interceptors, in order
	 * @param exceptionResolver turns failures into errors
	 * @param authenticationEnabled {@code false} skips authentication for every method
	 */
	KiteInvocationPipeline(AuthenticationManager authenticationManager,
			List<? extends KiteMethodInterceptor> interceptors, CompositeKiteExceptionResolver exceptionResolver,
			boolean authenticationEnabled) {
		this.authenticationManager = authenticationManager;
		this.interceptors = List.copyOf(interceptors);
		this.exceptionResolver = exceptionResolver;
		this.authenticationEnabled = authenticationEnabled;
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
				stage.whenComplete((value, failure) -> withAuthentication(async.authentication(),
						() -> complete(session, async, interceptors, asyncEntered, responder, value, failure)));
			}
			else {
				complete(session, invocation, interceptors, entered, responder, result, null);
			}
		}
		catch (Throwable ex) {
			if (invocation == null) { // authentication failed
				invocation = invocation(session, method, requestId, envelope, null);
			}
			complete(session, invocation, interceptors, entered, responder, null, ex);
		}
		finally {
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
			int entered, RemoteCallback responder, @Nullable Object result, @Nullable Throwable failure) {
		try {
			answer(session, invocation, interceptors, entered, responder, result, failure);
		}
		finally {
			session.callFinished(); // balances the dispatcher's tryStartCall
		}
	}

	private void answer(KiteSession session, KiteInvocation invocation, List<KiteMethodInterceptor> interceptors,
			int entered, RemoteCallback responder, @Nullable Object result, @Nullable Throwable failure) {
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
		if (cause == null) {
			try {
				responder.call(CallResponse.success(result));
				return;
			}
			catch (DnodeSendException ex) {
				if (!(ex.getCause() instanceof JacksonException)) {
					logger.debug("Could not answer request {} of session {}: {}", request.requestId(),
							LogSafe.of(session.id()), LogSafe.of(ex.getMessage()));
					return;
				}
				cause = ex; // the result could not be written as JSON: an internal error
			}
		}
		KiteError error = this.exceptionResolver.resolve(cause, request).withId(request.requestId());
		if (KiteErrorTypes.GENERIC_ERROR.equals(error.type())) {
			logger.error("Kite method '{}' failed (request id {}, caller {})", LogSafe.of(request.method()),
					request.requestId(), LogSafe.of(request.caller()), cause);
		}
		else {
			logger.debug("Kite method '{}' answered {} (request id {})", LogSafe.of(request.method()),
					LogSafe.of(error.type()), request.requestId());
		}
		reply(session, responder, request.method(), CallResponse.failure(error));
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
