package dev.kite.server.websocket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.Session;

import dev.kite.protocol.LogSafe;
import dev.kite.dnode.DnodeConnection;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteSession;
import dev.kite.rpc.KiteWebSocketLimits;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.sockjs.transport.SockJsSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.sockjs.transport.session.PollingSockJsSession;
import org.springframework.web.socket.sockjs.transport.session.WebSocketServerSockJsSession;
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
 * dispatcher parses there and moves all handler work to the executor. No send ever writes
 * on the caller's thread: each session has a {@link SessionOutbox}, bounded in
 * characters, whose serial writer runs on the executor, so a reply (even an error answer
 * to a bad frame, sent on the network thread) never waits for a peer that does not read.
 * {@link #checkSessions()}, run by the endpoint's scheduler, closes a session whose write
 * has been stuck longer than the send-time limit, pings raw WebSockets that have been
 * silent and closes those silent past the idle timeout. Replies to an XHR session wait
 * for the client's next poll; their bytes count against that session's budget (see
 * {@link KiteEndpointSettings#httpMessageCacheByteLimit()}).
 *
 * <p>
 * Per-session state: the {@link KiteSession}, one {@link SessionOutbox} (a few fields;
 * its queue only while messages wait) and an entry in the open-session map.
 */
public final class KiteWebSocketHandler extends TextWebSocketHandler {

	private static final Logger logger = LoggerFactory.getLogger(KiteWebSocketHandler.class);

	/** The transport names {@link #sessionCountsByTransport()} uses. */
	public static final List<String> TRANSPORTS = List.of("websocket", "sockjs-websocket", "xhr-streaming",
			"xhr-polling");

	private static final String SESSION = KiteSession.class.getName();

	private static final String PARTIAL = KiteWebSocketHandler.class.getName() + ".partial";

	private final KiteDispatcher dispatcher;

	private final ObjectMapper mapper;

	private final Executor executor;

	private final KiteWebSocketLimits limits;

	private static final String OUTBOX = SessionOutbox.class.getName();

	private final Map<String, SessionOutbox> open = new ConcurrentHashMap<>();

	private final TransportLog transportLog = new TransportLog();

	private final Map<InetAddress, AtomicInteger> sockJsSessionsByAddress = new ConcurrentHashMap<>();

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

	/**
	 * Whether a new session may open: fewer than
	 * {@link KiteWebSocketLimits#maxConnections()} are open.
	 */
	boolean admitsConnection() {
		return this.open.size() < this.limits.maxConnections();
	}

	/** The rate-limited warnings of this endpoint's transport. */
	TransportLog transportLog() {
		return this.transportLog;
	}

	/** Whether a SockJS session of this id is open. */
	boolean hasSession(String id) {
		return this.open.containsKey(id);
	}

	/**
	 * The key of a session in {@link #open}: a SockJS session's id as the client chose
	 * it, a raw WebSocket's container id after a {@code /}, which no SockJS id (a path
	 * segment) can contain, so the two never collide.
	 */
	private static String key(WebSocketSession session) {
		return (session instanceof SockJsSession) ? session.getId() : "/" + session.getId();
	}

	/** How many SockJS sessions opened from this address are open. */
	int sockJsSessionsFrom(InetAddress address) {
		AtomicInteger count = this.sockJsSessionsByAddress.get(address);
		return (count != null) ? count.get() : 0;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws IOException {
		if (this.open.size() >= this.limits.maxConnections()) {
			// A handshake that passed the check while others completed: still bounded.
			session.close(CloseStatus.SERVICE_OVERLOAD.withReason("Too many connections"));
			return;
		}
		if (session instanceof SockJsSession) {
			InetAddress address = address(session);
			if (address != null) {
				this.sockJsSessionsByAddress.computeIfAbsent(address, (key) -> new AtomicInteger()).incrementAndGet();
			}
		}
		else {
			limitBlockingSends(session, this.limits.sendTimeLimit().toMillis());
			shrinkMessageBuffers(session);
		}
		SessionOutbox outbox = new SessionOutbox(session, this.executor, this.limits.sendBufferSizeLimit(),
				this.transportLog, System.nanoTime());
		BudgetedPollingSockJsSession budgeted = (session instanceof BudgetedPollingSockJsSession polling) ? polling
				: null;
		DnodeConnection connection = new DnodeConnection(this.mapper, (text) -> send(outbox, budgeted, text),
				this.dispatcher.limits().maxCallbacks());
		KiteSession kiteSession = new KiteSession(session.getId(), connection, false, this.executor);
		session.getAttributes().put(SESSION, kiteSession);
		session.getAttributes().put(OUTBOX, outbox);
		this.open.put(key(session), outbox);
		logger.debug("Kite session {} opened from {}", LogSafe.of(session.getId()), session.getRemoteAddress());
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
		KiteSession kiteSession = (KiteSession) session.getAttributes().get(SESSION);
		if (kiteSession == null) {
			return;
		}
		SessionOutbox outbox = (SessionOutbox) session.getAttributes().get(OUTBOX);
		if (outbox != null) {
			outbox.received(System.nanoTime());
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
	 * Queues one message for the session's writer; when the transport refuses it (an XHR
	 * session over its byte budget, a full send buffer, a closed session), the session is
	 * closed so the peer learns that replies were lost instead of waiting forever.
	 */
	private static void send(SessionOutbox outbox, @Nullable BudgetedPollingSockJsSession budgeted, String text)
			throws IOException {
		if (budgeted != null) {
			// Counted before it is queued, so the budget never reads less than what
			// waits.
			budgeted.reserve(text);
		}
		outbox.send(new TextMessage(text));
	}

	@Override
	protected void handlePongMessage(WebSocketSession session, PongMessage message) {
		SessionOutbox outbox = (SessionOutbox) session.getAttributes().get(OUTBOX);
		if (outbox != null) {
			outbox.received(System.nanoTime());
		}
	}

	/**
	 * The watchdog, run periodically by the endpoint's scheduler: closes every session
	 * whose current write has taken longer than the send-time limit (its peer stopped
	 * reading), pings raw WebSockets silent for the ping interval and closes those silent
	 * for the idle timeout. Never blocks: pings are queued and closes run on the
	 * executor.
	 */
	public void checkSessions() {
		long now = System.nanoTime();
		long sendLimit = this.limits.sendTimeLimit().toNanos();
		long pingInterval = this.limits.pingInterval().toNanos();
		long idleTimeout = this.limits.idleTimeout().toNanos();
		for (SessionOutbox outbox : this.open.values()) {
			WebSocketSession session = outbox.session();
			if (outbox.writeNanos(now) > sendLimit) {
				this.transportLog.warn(
						"Closing kite session {}: a write has been blocked for more than {} (peer not reading)",
						LogSafe.of(session.getId()), this.limits.sendTimeLimit());
				outbox.close(CloseStatus.SESSION_NOT_RELIABLE.withReason("Send time limit exceeded"));
				continue;
			}
			if (session instanceof SockJsSession) {
				continue;
			}
			long silent = now - outbox.lastReceived();
			if (silent > idleTimeout) {
				logger.debug("Closing kite session {}: silent for {} ms", LogSafe.of(session.getId()),
						silent / 1_000_000);
				outbox.close(CloseStatus.GOING_AWAY.withReason("Idle timeout"));
			}
			else if (silent > pingInterval && now - outbox.lastPinged() > pingInterval) {
				outbox.pinged(now);
				try {
					outbox.send(new PingMessage());
				}
				catch (IOException ex) {
					logger.debug("Pinging kite session {} failed: {}", LogSafe.of(session.getId()),
							LogSafe.of(ex.getMessage()));
				}
			}
		}
	}

	/**
	 * Bounds the container's own blocking writes (Tomcat: 20 s by default) by the
	 * send-time limit, so a write to a peer that stops reading, and the close frame after
	 * it, give up then instead of holding an executor thread for longer.
	 */
	static void limitBlockingSends(WebSocketSession session, long millis) {
		if (STANDARD_WEBSOCKET && session instanceof NativeWebSocketSession nativeSession) {
			StandardSessions.limitBlockingSends(nativeSession, millis);
		}
	}

	/**
	 * Shrinks Tomcat's per-connection text message buffer (8 K characters by default, 16
	 * KiB of heap held for the connection's life) to {@link #TEXT_BUFFER_CHARS}: the kite
	 * handlers take partial messages, so it only sets the size of the parts (a larger
	 * message arrives in more of them). Tomcat replaces the buffer with one of the new
	 * size at the next text message's first frame; the one it allocated at the handshake
	 * becomes garbage then, so a connection that never sends keeps it (only the
	 * container's default, {@link WebSocketContainerBuffers}, sizes it from the start).
	 * The binary buffer, which Tomcat also decodes text through, is replaced only at a
	 * binary message (which closes a kite session): its limit is set for that case. Only
	 * Tomcat's sessions are changed: elsewhere the same call may limit the message size.
	 * @param session a WebSocket session whose handler takes partial messages
	 */
	static void shrinkMessageBuffers(WebSocketSession session) {
		if (STANDARD_WEBSOCKET && session instanceof NativeWebSocketSession nativeSession) {
			StandardSessions.shrinkMessageBuffers(nativeSession);
		}
	}

	/**
	 * The size of Tomcat's text message buffer on a kite connection: a dnode call or
	 * reply of up to 1 K characters arrives in one part.
	 */
	static final int TEXT_BUFFER_CHARS = 1024;

	/** The size of Tomcat's binary message buffer on a kite connection. */
	static final int BINARY_BUFFER_BYTES = 128;

	private static final boolean STANDARD_WEBSOCKET = ClassUtils.isPresent("jakarta.websocket.Session",
			KiteWebSocketHandler.class.getClassLoader());

	/** Touches the JSR-356 API only where it is present (not on every container). */
	private static final class StandardSessions {

		static void limitBlockingSends(NativeWebSocketSession session, long millis) {
			Session standard = session.getNativeSession(Session.class);
			if (standard != null) {
				standard.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", millis);
			}
		}

		static void shrinkMessageBuffers(NativeWebSocketSession session) {
			Session standard = session.getNativeSession(Session.class);
			if (standard != null && standard.getClass().getName().startsWith("org.apache.tomcat.websocket.")) {
				standard.setMaxTextMessageBufferSize(TEXT_BUFFER_CHARS);
				standard.setMaxBinaryMessageBufferSize(BINARY_BUFFER_BYTES);
			}
		}

	}

	private static @Nullable InetAddress address(WebSocketSession session) {
		InetSocketAddress remote = session.getRemoteAddress();
		return (remote != null) ? remote.getAddress() : null;
	}

	/** The number of open kite sessions. */
	public int sessionCount() {
		return this.open.size();
	}

	/**
	 * The open kite sessions by transport: {@code websocket} (raw),
	 * {@code sockjs-websocket}, {@code xhr-streaming} and {@code xhr-polling} (every key
	 * present, zero when none). Counted when asked (for gauges and the {@code kites}
	 * endpoint), so the message path pays nothing for it.
	 * @return the counts, in that order
	 */
	public Map<String, Integer> sessionCountsByTransport() {
		Map<String, Integer> counts = new LinkedHashMap<>();
		for (String transport : TRANSPORTS) {
			counts.put(transport, 0);
		}
		for (SessionOutbox outbox : this.open.values()) {
			counts.merge(transport(outbox.session()), 1, Integer::sum);
		}
		return counts;
	}

	private static String transport(WebSocketSession session) {
		if (!(session instanceof SockJsSession)) {
			return "websocket";
		}
		if (session instanceof WebSocketServerSockJsSession) {
			return "sockjs-websocket";
		}
		return (session instanceof PollingSockJsSession) ? "xhr-polling" : "xhr-streaming";
	}

	/**
	 * Closes every open session, e.g. with 1001 (going away) when the application stops,
	 * so that peers learn it at once and pending XHR polls end instead of holding up a
	 * graceful shutdown. Messages already queued for a session (replies to calls that
	 * finished while the application drained) are written before its close frame; the
	 * close itself runs on the executor, so a peer that does not read holds up neither
	 * the caller nor the other sessions.
	 * @param status the close status
	 */
	public void closeSessions(CloseStatus status) {
		long now = System.nanoTime();
		for (SessionOutbox outbox : this.open.values()) {
			if (outbox.writeNanos(now) > 0) {
				// Its close frame would queue behind a write that may be stuck: what
				// waits is dropped and the session closed now.
				outbox.close(status);
			}
			else {
				outbox.closeWhenWritten(status);
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
		SessionOutbox outbox = (SessionOutbox) session.getAttributes().remove(OUTBOX);
		if (outbox == null) {
			// Refused in afterConnectionEstablished: never counted.
			return;
		}
		outbox.closed();
		this.open.remove(key(session), outbox);
		if (session instanceof SockJsSession) {
			InetAddress address = address(session);
			if (address != null) {
				this.sockJsSessionsByAddress.computeIfPresent(address,
						(key, count) -> (count.decrementAndGet() > 0) ? count : null);
			}
		}
		KiteSession kiteSession = (KiteSession) session.getAttributes().remove(SESSION);
		if (kiteSession != null) {
			kiteSession.close();
		}
		logger.debug("Kite session {} closed: {}", LogSafe.of(session.getId()), LogSafe.of(status));
	}

}
