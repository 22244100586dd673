package dev.kite.server.websocket;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import dev.kite.protocol.LogSafe;
import dev.kite.dnode.DnodeConnection;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteSession;
import dev.kite.rpc.KiteWebSocketLimits;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.databind.ObjectMapper;

/**
 * Serves kite connections: every text message is one dnode message, handed to the
 * {@link KiteDispatcher}. Works the same under SockJS (Go clients, kite.js with the
 * SockJS transport: Spring decodes the {@code ["…"]} frames) and on a raw WebSocket
 * (kite.js default).
 *
 * <p>
 * Memory: the handler takes partial messages, so the container keeps only its default
 * frame buffer (Tomcat: 8 K characters) per connection instead of one as large as the
 * message limit; the parts of a larger message are joined in a buffer that grows only as
 * far as that message needs (never past {@link KiteWebSocketLimits#maxMessageSize()}) and
 * is dropped once it is complete.
 *
 * <p>
 * Threads: Spring calls this handler on the connection's network thread, one message (or
 * part) at a time, so a session's partial buffer is only touched by that thread; the
 * dispatcher parses there and moves all handler work to the executor. Sends from any
 * thread go through one {@link ConcurrentWebSocketSessionDecorator} per session, bounded
 * in time and buffered bytes: a peer that stops reading is disconnected instead of
 * blocking anyone else. Replies to an XHR session wait for the client's next poll; their
 * bytes count against that session's budget (see
 * {@link KiteEndpointSettings#httpMessageCacheByteLimit()}).
 */
public final class KiteWebSocketHandler extends TextWebSocketHandler {

	private static final Logger logger = LoggerFactory.getLogger(KiteWebSocketHandler.class);

	private static final String SESSION = KiteSession.class.getName();

	private static final String PARTIAL = KiteWebSocketHandler.class.getName() + ".partial";

	private final KiteDispatcher dispatcher;

	private final ObjectMapper mapper;

	private final Executor executor;

	private final KiteWebSocketLimits limits;

	private final Set<WebSocketSession> open = ConcurrentHashMap.newKeySet();

	/**
	 * @param dispatcher the pipeline for incoming messages
	 * @param mapper the mapper for arguments and results (with a DnodeModule)
	 * @param executor runs handlers and callback invocations
	 * @param limits message size and send buffering limits
	 */
	public KiteWebSocketHandler(KiteDispatcher dispatcher, ObjectMapper mapper, Executor executor,
			KiteWebSocketLimits limits) {
		this.dispatcher = dispatcher;
		this.mapper = DnodeConnection.requireModule(mapper);
		this.executor = executor;
		this.limits = limits;
	}

	/** The limits this handler enforces. */
	public KiteWebSocketLimits limits() {
		return this.limits;
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		WebSocketSession sender = new ConcurrentWebSocketSessionDecorator(session,
				(int) this.limits.sendTimeLimit().toMillis(), this.limits.sendBufferSizeLimit(),
				ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE);
		BudgetedPollingSockJsSession budgeted = (session instanceof BudgetedPollingSockJsSession polling) ? polling
				: null;
		DnodeConnection connection = new DnodeConnection(this.mapper, (text) -> send(sender, budgeted, text),
				this.dispatcher.limits().maxCallbacks());
		KiteSession kiteSession = new KiteSession(session.getId(), connection, false, this.executor);
		session.getAttributes().put(SESSION, kiteSession);
		this.open.add(session);
		logger.debug("Kite session {} opened from {}", LogSafe.of(session.getId()), session.getRemoteAddress());
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
		KiteSession kiteSession = (KiteSession) session.getAttributes().get(SESSION);
		if (kiteSession == null) {
			return;
		}
		String part = message.getPayload();
		StringBuilder partial = (StringBuilder) session.getAttributes().get(PARTIAL);
		int length = part.length() + ((partial != null) ? partial.length() : 0);
		if (length > this.limits.maxMessageSize()) {
			session.getAttributes().remove(PARTIAL);
			logger.warn("Closing kite session {}: a message of {}{} characters exceeds the limit of {}",
					LogSafe.of(session.getId()), message.isLast() ? "" : "over ", length, this.limits.maxMessageSize());
			session.close(CloseStatus.TOO_BIG_TO_PROCESS.withReason("Message too big"));
			return;
		}
		if (!message.isLast()) {
			if (partial == null) {
				// Sized for this part only: grows (doubling) as further parts arrive.
				partial = new StringBuilder(part.length());
				session.getAttributes().put(PARTIAL, partial);
			}
			partial.append(part);
			return;
		}
		String text = part;
		if (partial != null) {
			// Dropped with the message, so an idle connection keeps no buffer.
			session.getAttributes().remove(PARTIAL);
			text = partial.append(part).toString();
		}
		this.dispatcher.dispatch(kiteSession, text);
	}

	/**
	 * Sends one message; when the transport refuses it (a full XHR message cache, an XHR
	 * session over its byte budget, a broken pipe), closes the session so the peer learns
	 * that replies were lost instead of waiting forever.
	 */
	private static void send(WebSocketSession session, @Nullable BudgetedPollingSockJsSession budgeted, String text)
			throws IOException {
		try {
			if (budgeted != null) {
				budgeted.reserve(text);
			}
			session.sendMessage(new TextMessage(text));
		}
		catch (IOException | RuntimeException ex) {
			if (session.isOpen()) {
				logger.warn("Closing kite session {}: a message could not be sent ({})", LogSafe.of(session.getId()),
						LogSafe.of(ex.getMessage()));
				try {
					session.close(CloseStatus.SESSION_NOT_RELIABLE);
				}
				catch (IOException | RuntimeException closeFailure) {
					logger.debug("Closing kite session {} failed", LogSafe.of(session.getId()), closeFailure);
				}
			}
			throw ex;
		}
	}

	/** The number of open kite sessions. */
	public int sessionCount() {
		return this.open.size();
	}

	/**
	 * Closes every open session, e.g. with 1001 (going away) when the application stops,
	 * so that peers learn it at once and pending XHR polls end instead of holding up a
	 * graceful shutdown.
	 * @param status the close status
	 */
	public void closeSessions(CloseStatus status) {
		for (WebSocketSession session : this.open) {
			try {
				session.close(status);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Closing kite session {} failed: {}", LogSafe.of(session.getId()),
						LogSafe.of(ex.getMessage()));
			}
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		logger.debug("Transport error on kite session {}: {}", LogSafe.of(session.getId()),
				LogSafe.of(exception.getMessage()));
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		this.open.remove(session);
		KiteSession kiteSession = (KiteSession) session.getAttributes().remove(SESSION);
		if (kiteSession != null) {
			kiteSession.close();
		}
		logger.debug("Kite session {} closed: {}", LogSafe.of(session.getId()), LogSafe.of(status));
	}

}
