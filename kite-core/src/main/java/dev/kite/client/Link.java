package dev.kite.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeSendException;
import dev.kite.dnode.KiteCallback;
import dev.kite.protocol.Auth;
import dev.kite.protocol.KiteError;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.LogSafe;
import dev.kite.rpc.KiteSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.util.RawValue;

/**
 * One open session of a {@link KiteConnection}: the transport session, its dnode state,
 * the {@link KiteSession} the dispatcher serves the peer's calls on, and the
 * {@link PendingCalls}. A reconnect makes a new link; functions passed on an old one are
 * gone with it.
 *
 * <p>
 * Thread safety: {@link #call} may run on any thread; sends are serialised by one bounded
 * {@link ConcurrentWebSocketSessionDecorator}. {@link #shutdown()} runs on the
 * transport's thread (lost connection) or the closing thread, once.
 */
final class Link {

	private static final Logger logger = LoggerFactory.getLogger(Link.class);

	private static final List<Object> RESPONSE_CALLBACK_PATH = List.of(0, "responseCallback");

	private final KiteClientOptions options;

	private final WebSocketSession session;

	private final WebSocketSession sender;

	private final DnodeConnection dnode;

	private final KiteSession kiteSession;

	private final PendingCalls pending;

	private final Supplier<@Nullable Auth> auth;

	private final ObjectMapper mapper;

	/** {@code options.kite()} as JSON: it never changes, so it is rendered once. */
	private final RawValue kiteJson;

	/** The last {@code authentication} rendered, reused while the same one is sent. */
	private volatile @Nullable RenderedAuth renderedAuth;

	private final AtomicBoolean shutDown = new AtomicBoolean();

	/**
	 * @param session the open transport session
	 * @param options the connection's options
	 * @param resources what the factory's connections share
	 * @param auth the {@code authentication} of the next call (it may be swapped at any
	 * time)
	 * @param failureObserver told of every failed call
	 */
	Link(WebSocketSession session, KiteClientOptions options, KiteClientFactory.Resources resources,
			Supplier<@Nullable Auth> auth, BiConsumer<String, KiteException> failureObserver) {
		this.options = options;
		this.session = session;
		this.auth = auth;
		this.mapper = resources.mapper();
		this.kiteJson = new RawValue(this.mapper.writeValueAsString(options.kite()));
		WebSocketSession decorated = new ConcurrentWebSocketSessionDecorator(session,
				(int) resources.limits().sendTimeLimit().toMillis(), resources.limits().sendBufferSizeLimit(),
				ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE);
		this.sender = decorated;
		this.dnode = new DnodeConnection(resources.mapper(), (text) -> decorated.sendMessage(new TextMessage(text)));
		this.kiteSession = new KiteSession(session.getId(), this.dnode, !options.authenticateIncoming(),
				resources.executor());
		this.pending = new PendingCalls(resources.scheduler(), resources.executor(), this.dnode::removeCallback,
				failureObserver);
	}

	WebSocketSession session() {
		return this.session;
	}

	KiteSession kiteSession() {
		return this.kiteSession;
	}

	int pendingCallCount() {
		return this.pending.size();
	}

	int callbackCount() {
		return this.dnode.callbackCount();
	}

	/**
	 * Sends one call envelope and waits for its response at most {@code timeout}.
	 * @param method the method name
	 * @param timeout how long to wait for the response
	 * @param arguments the {@code withArgs}
	 * @return the result
	 */
	CompletableFuture<JsonNode> call(String method, Duration timeout, @Nullable Object[] arguments) {
		PendingCalls.Call call = new PendingCalls.Call(method);
		KiteCallback responder = (response) -> this.pending.respond(call, response);
		DnodeConnection.EncodedMessage message;
		try {
			CallEnvelope envelope = new CallEnvelope(this.kiteJson, authJson(this.auth.get()), arguments, responder);
			message = this.dnode.encodeMessage(method, envelope);
		}
		catch (DnodeSendException | JacksonException ex) {
			return CompletableFuture.failedFuture(new KiteException(
					new KiteError(KiteErrorTypes.SEND_ERROR, String.valueOf(ex.getMessage()), "", ""), ex));
		}
		if (!this.pending.add(call, message.callbackIdAt(RESPONSE_CALLBACK_PATH), timeout)) {
			// refused: the application is stopping
			for (long id : message.callbackIds()) {
				this.dnode.removeCallback(id); // never sent
			}
			return call.future;
		}
		if (!this.dnode.isOpen()) {
			this.pending.fail(call, KiteResponses.disconnect()); // the connection dropped
																	// meanwhile
			return call.future;
		}
		try {
			this.sender.sendMessage(new TextMessage(message.text()));
		}
		catch (IOException | RuntimeException ex) {
			for (long id : message.callbackIds()) {
				this.dnode.removeCallback(id); // Go forgets a message's functions when
												// its send fails
			}
			this.pending.fail(call, new KiteException(
					new KiteError(KiteErrorTypes.SEND_ERROR, "can't send: " + ex.getMessage(), "", ""), ex));
		}
		return call.future;
	}

	/**
	 * The {@code authentication} as JSON, rendered again only when another one is sent (a
	 * swapped token); a race between two swaps renders twice, harmlessly.
	 */
	private @Nullable RawValue authJson(@Nullable Auth current) {
		if (current == null) {
			return null;
		}
		RenderedAuth rendered = this.renderedAuth;
		if (rendered == null || rendered.auth() != current) {
			rendered = new RenderedAuth(current, new RawValue(this.mapper.writeValueAsString(current)));
			this.renderedAuth = rendered;
		}
		return rendered.json();
	}

	/**
	 * Forgets every function and fails every pending call with {@code disconnect}.
	 * Idempotent.
	 */
	void shutdown() {
		if (!this.shutDown.compareAndSet(false, true)) {
			return;
		}
		this.kiteSession.close();
		this.pending.failAll(KiteResponses.disconnect());
	}

	/** Shuts down and closes the transport session. */
	void close(CloseStatus status) {
		shutdown();
		closeQuietly(this.session, status);
	}

	private record RenderedAuth(Auth auth, RawValue json) {
	}

	static void closeQuietly(WebSocketSession session, CloseStatus status) {
		try {
			session.close(status);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Closing session {} failed: {}", LogSafe.of(session.getId()), LogSafe.of(ex));
		}
	}

}
