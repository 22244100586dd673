package dev.kite.rpc;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.dnode.DnodeFormatException;
import dev.kite.dnode.DnodeMessage;
import dev.kite.dnode.DnodeSendException;
import dev.kite.dnode.DnodeTrees;
import dev.kite.dnode.KiteCallback;
import dev.kite.dnode.RemoteCallback;
import dev.kite.protocol.Auth;
import dev.kite.protocol.CallResponse;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteError;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.RequestIds;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The pipeline every incoming message goes through (PROTOCOL §3.6).
 *
 * <ol>
 * <li>On the network thread, in arrival order: parse the frame once, attach the peer's functions,
 * route. A callback id goes to the session's serial callback executor; a method name is looked up,
 * its envelope checked, and the caller's identity recorded if this is the first request.</li>
 * <li>On the executor: authenticate (unless the method opts out, authentication is disabled, or we
 * dialed the connection), run the interceptors, invoke the handler with the {@code SecurityContext}
 * set, and answer through {@code responseCallback} exactly once with {@code {error, result}}.</li>
 * </ol>
 *
 * <p>Bad input never throws out of {@link #dispatch}: a frame that is not a dnode message is
 * logged and dropped; a malformed call gets an error reply when it carries a
 * {@code responseCallback} and is logged and dropped otherwise. Error replies never contain
 * exception texts; {@code genericError} names the request id, and the log has the stack trace.
 *
 * <p>Thread safety: immutable; {@link #dispatch} is called by every connection's network thread.
 */
public final class KiteDispatcher {

	private static final Logger logger = LoggerFactory.getLogger(KiteDispatcher.class);

	private static final KiteExceptionResolver DEFAULT_RESOLVER = new DefaultKiteExceptionResolver();

	private final KiteMethodRegistry registry;

	private final AuthenticationManager authenticationManager;

	private final List<KiteExceptionResolver> exceptionResolvers;

	private final List<KiteMethodInterceptor> interceptors;

	private final Executor executor;

	private final boolean authenticationEnabled;

	private final SecurityContextHolderStrategy securityContextHolder = SecurityContextHolder
		.getContextHolderStrategy();

	/**
	 * @param registry the methods served
	 * @param authenticationManager verifies the envelope's {@code authentication}
	 * @param exceptionResolvers resolvers asked before the default one, in order
	 * @param interceptors interceptors, in order
	 * @param executor runs handlers (never the network thread)
	 * @param authenticationEnabled {@code false} skips authentication for every method (Go's
	 * {@code DisableAuthentication})
	 */
	public KiteDispatcher(KiteMethodRegistry registry, AuthenticationManager authenticationManager,
			List<? extends KiteExceptionResolver> exceptionResolvers, List<? extends KiteMethodInterceptor> interceptors,
			Executor executor, boolean authenticationEnabled) {
		this.registry = registry;
		this.authenticationManager = authenticationManager;
		this.exceptionResolvers = List.copyOf(exceptionResolvers);
		this.interceptors = List.copyOf(interceptors);
		this.executor = executor;
		this.authenticationEnabled = authenticationEnabled;
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
			logger.warn("Dropping a frame from session {}: {}", session.id(), ex.getMessage());
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
			logger.debug("Ignoring a call of unknown callback {} on session {}", call.callbackId(), session.id());
			return;
		}
		JsonNode[] arguments = call.arguments().values().toArray(JsonNode[]::new);
		try {
			session.callbackExecutor().execute(() -> callback.call(arguments));
		}
		catch (RejectedExecutionException ex) {
			logger.warn("Dropping a callback invocation on session {}: executor is saturated", session.id());
		}
	}

	private void dispatchMethod(KiteSession session, DnodeMessage.MethodCall call) {
		ArrayNode arguments = call.arguments();
		JsonNode envelope = arguments.isEmpty() ? null : arguments.get(0);
		RemoteCallback responder = (envelope != null && envelope.isObject())
				? DnodeTrees.callbackAt(envelope.get("responseCallback")) : null;
		KiteMethodDefinition method = this.registry.find(call.method());
		if (method == null) {
			if (responder != null) {
				reply(session, responder, call.method(),
						CallResponse.failure(KiteError.of(KiteErrorTypes.METHOD_NOT_FOUND,
								"Method not found: " + call.method())));
			}
			else {
				logger.debug("Dropping a call of unknown method '{}' without responseCallback", call.method());
			}
			return;
		}
		String requestId = RequestIds.next();
		Envelope parsed;
		try {
			parsed = readEnvelope(arguments, session.connection().mapper());
		}
		catch (KiteException ex) {
			logger.warn("Refusing a call of '{}' on session {} (request id {}): {}", call.method(), session.id(),
					requestId, ex.error().message());
			if (responder != null) {
				reply(session, responder, call.method(), CallResponse.failure(ex.error().withId(requestId)));
			}
			return;
		}
		if (parsed.kite() != null) {
			session.recordCaller(parsed.kite());
		}
		RemoteCallback target = (responder != null) ? responder : new DiscardingCallback(call.method());
		try {
			this.executor.execute(() -> invoke(session, method, requestId, parsed, target));
		}
		catch (RejectedExecutionException ex) {
			logger.warn("Refusing a call of '{}' (request id {}): executor is saturated", call.method(), requestId);
			reply(session, target, call.method(), CallResponse.failure(new KiteError(
					KiteErrorTypes.REQUEST_LIMIT_ERROR, "The maximum request rate is exceeded.", "", requestId)));
		}
	}

	/** The envelope's parts, checked: exactly one object argument; kite and auth objects or absent. */
	private record Envelope(@Nullable Kite kite, @Nullable Auth auth, ArrayNode withArgs) {
	}

	private static Envelope readEnvelope(ArrayNode arguments, ObjectMapper mapper) {
		if (arguments.size() != 1 || !arguments.get(0).isObject()) {
			throw argumentError("Invalid envelope: arguments must hold exactly one object");
		}
		JsonNode envelope = arguments.get(0);
		Kite kite = readPart(envelope.get("kite"), Kite.class, "kite", mapper);
		Auth auth = readPart(envelope.get("authentication"), Auth.class, "authentication", mapper);
		JsonNode withArgs = envelope.get("withArgs");
		ArrayNode positional;
		if (withArgs == null || withArgs.isNull()) {
			positional = mapper.createArrayNode(); // Go sends null for zero arguments
		}
		else if (withArgs instanceof ArrayNode array) {
			positional = array;
		}
		else {
			positional = mapper.createArrayNode().add(withArgs); // kite.js tell("square", 4)
		}
		return new Envelope(kite, auth, positional);
	}

	private static <T> @Nullable T readPart(@Nullable JsonNode node, Class<T> type, String name,
			ObjectMapper mapper) {
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isObject()) {
			throw argumentError("Invalid envelope: \"" + name + "\" must be an object");
		}
		try {
			return mapper.treeToValue(node, type);
		}
		catch (JacksonException ex) {
			throw argumentError("Invalid envelope: \"" + name + "\" has fields of the wrong type");
		}
	}

	private static KiteException argumentError(String message) {
		return new KiteException(KiteErrorTypes.ARGUMENT_ERROR, message);
	}

	private void invoke(KiteSession session, KiteMethodDefinition method, String requestId, Envelope envelope,
			RemoteCallback responder) {
		KiteInvocation invocation = null;
		int entered = 0; // interceptors whose beforeInvocation ran: only they see afterCompletion
		SecurityContext previous = this.securityContextHolder.getContext();
		try {
			Authentication authentication = authenticate(session, method, envelope);
			invocation = invocation(session, method, requestId, envelope, authentication);
			if (authentication != null) {
				this.securityContextHolder.setContext(contextWith(authentication));
			}
			for (KiteMethodInterceptor interceptor : this.interceptors) {
				interceptor.beforeInvocation(invocation);
				entered++;
			}
			Object result = method.handler().handle(invocation);
			if (result instanceof CompletionStage<?> stage) {
				KiteInvocation async = invocation;
				int asyncEntered = entered;
				stage.whenComplete((value, failure) -> withAuthentication(async.authentication(),
						() -> complete(session, async, asyncEntered, responder, value, failure)));
			}
			else {
				complete(session, invocation, entered, responder, result, null);
			}
		}
		catch (Throwable ex) {
			if (invocation == null) { // authentication failed
				invocation = invocation(session, method, requestId, envelope, null);
			}
			complete(session, invocation, entered, responder, null, ex);
		}
		finally {
			this.securityContextHolder.setContext(previous);
		}
	}

	private static KiteInvocation invocation(KiteSession session, KiteMethodDefinition method, String requestId,
			Envelope envelope, @Nullable Authentication authentication) {
		String authType = (authentication instanceof KiteAuthenticationToken token) ? token.getAuthType() : null;
		KiteRequest request = new KiteRequest(method.name(), session.caller().username(), authType, session.caller(),
				requestId);
		return new KiteInvocation(request, envelope.withArgs(), session, authentication);
	}

	/** Runs a continuation with the call's authentication in the SecurityContext, then restores it. */
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

	private @Nullable Authentication authenticate(KiteSession session, KiteMethodDefinition method,
			Envelope envelope) {
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

	private void complete(KiteSession session, KiteInvocation invocation, int entered, RemoteCallback responder,
			@Nullable Object result, @Nullable Throwable failure) {
		Throwable cause = unwrap(failure);
		for (int i = entered - 1; i >= 0; i--) {
			KiteMethodInterceptor interceptor = this.interceptors.get(i);
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
					logger.debug("Could not answer request {} of session {}: {}", request.requestId(), session.id(),
							ex.getMessage());
					return;
				}
				cause = ex; // the result could not be written as JSON: an internal error
			}
		}
		KiteError error = resolve(cause, request).withId(request.requestId());
		if (KiteErrorTypes.GENERIC_ERROR.equals(error.type())) {
			logger.error("Kite method '{}' failed (request id {}, caller {})", request.method(), request.requestId(),
					request.caller(), cause);
		}
		else {
			logger.debug("Kite method '{}' answered {} (request id {})", request.method(), error.type(),
					request.requestId());
		}
		reply(session, responder, request.method(), CallResponse.failure(error));
	}

	private KiteError resolve(Throwable failure, KiteRequest request) {
		for (KiteExceptionResolver resolver : this.exceptionResolvers) {
			try {
				KiteError error = resolver.resolve(failure, request);
				if (error != null) {
					return error;
				}
			}
			catch (RuntimeException ex) {
				logger.error("Exception resolver {} failed for request {}", resolver, request.requestId(), ex);
			}
		}
		return DEFAULT_RESOLVER.resolve(failure, request);
	}

	private static @Nullable Throwable unwrap(@Nullable Throwable failure) {
		Throwable current = failure;
		while ((current instanceof CompletionException || current instanceof ExecutionException
				|| current instanceof InvocationTargetException) && current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	private static void reply(KiteSession session, RemoteCallback responder, String method, CallResponse response) {
		try {
			responder.call(response);
		}
		catch (DnodeSendException ex) {
			logger.debug("Could not answer a call of '{}' on session {}: {}", method, session.id(), ex.getMessage());
		}
	}

	/** Stands in for a missing responseCallback: the call runs, its outcome is only logged. */
	private record DiscardingCallback(String method) implements RemoteCallback {

		@Override
		public void call(@Nullable Object... arguments) {
			logger.debug("Discarding the outcome of a call of '{}' that had no responseCallback", this.method);
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
