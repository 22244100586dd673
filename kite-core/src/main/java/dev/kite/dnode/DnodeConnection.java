package dev.kite.dnode;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The dnode state of one connection: the functions this side has sent (id →
 * {@link KiteCallback}), the id counter, and the codec.
 *
 * <p>
 * Ids start at 0 and are never reused (PROTOCOL §2.2). Every encoded message names its
 * functions' paths with array indices as numbers, Go's form; decoding accepts numbers and
 * numeric strings (kite.js's form), ignores {@code links} and the {@code "[Function]"}
 * placeholder, and silently skips paths that lead nowhere, as Go does.
 *
 * <p>
 * Thread safety: every method may be called from any thread. The callback table is a
 * concurrent map and the counter atomic; encoding and decoding keep their state on the
 * calling thread. Sends go to the {@link MessageSender}, which must itself be
 * thread-safe.
 *
 * <p>
 * The table may be bounded: past the bound the oldest functions are released (see
 * {@link #DnodeConnection(ObjectMapper, MessageSender, int)}).
 */
public final class DnodeConnection {

	private static final Logger logger = LoggerFactory.getLogger(DnodeConnection.class);

	private static final @Nullable Object[] NO_ARGUMENTS = {};

	private final ObjectMapper mapper;

	private final ObjectWriter writer;

	private final MessageSender sender;

	private final AtomicLong nextCallbackId = new AtomicLong();

	/**
	 * No registered id is below this: where the search for the oldest function starts.
	 * Ids only grow, so the search moves forward and costs O(1) amortised.
	 */
	private final AtomicLong oldestCandidate = new AtomicLong();

	private final int maxCallbacks;

	private final AtomicLong released = new AtomicLong();

	private final Map<Long, KiteCallback> callbacks = new ConcurrentHashMap<>();

	private volatile boolean open = true;

	/**
	 * Creates the state of a new connection.
	 * @param mapper the mapper for arguments and results; it must have a
	 * {@link DnodeModule} registered (see {@link #requireModule(ObjectMapper)})
	 * @param sender where encoded messages go
	 */
	public DnodeConnection(ObjectMapper mapper, MessageSender sender) {
		this(mapper, sender, Integer.MAX_VALUE);
	}

	/**
	 * Creates the state of a new connection that holds a bounded number of functions.
	 * @param mapper the mapper for arguments and results; it must have a
	 * {@link DnodeModule} registered (see {@link #requireModule(ObjectMapper)})
	 * @param sender where encoded messages go
	 * @param maxCallbacks how many functions the table may hold; registering one more
	 * releases the oldest (lowest id), with a log line
	 */
	public DnodeConnection(ObjectMapper mapper, MessageSender sender, int maxCallbacks) {
		if (maxCallbacks < 1) {
			throw new IllegalArgumentException("maxCallbacks must be at least 1, not " + maxCallbacks);
		}
		this.mapper = mapper;
		this.writer = mapper.writer();
		this.sender = sender;
		this.maxCallbacks = maxCallbacks;
	}

	/**
	 * Fails fast when a mapper cannot carry functions.
	 * @param mapper a mapper
	 * @return the same mapper
	 */
	public static ObjectMapper requireModule(ObjectMapper mapper) {
		if (!mapper.registeredModules().stream().anyMatch(DnodeModule.class::isInstance)) {
			throw new IllegalArgumentException("The ObjectMapper for kite connections needs a DnodeModule");
		}
		return mapper;
	}

	/** The mapper this connection reads and writes values with. */
	public ObjectMapper mapper() {
		return this.mapper;
	}

	/** Whether {@link #close()} has not been called yet. */
	public boolean isOpen() {
		return this.open;
	}

	/**
	 * Encodes and sends a message.
	 * @param method a method name, or the id of one of the peer's functions
	 * @param arguments the arguments; functions inside are registered on this connection
	 * @throws DnodeSendException when the connection is closed, an argument cannot be
	 * serialised, or the transport fails
	 */
	public void send(Object method, @Nullable Object... arguments) {
		if (!this.open) {
			throw new DnodeSendException("can't send, connection is closed");
		}
		String text = encode(method, arguments);
		try {
			this.sender.send(text);
		}
		catch (IOException | RuntimeException ex) {
			throw new DnodeSendException("can't send: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Sends a message encoded by {@link #encodeMessage}, for a caller that must know its
	 * callback ids before the peer can answer.
	 * @param message the encoded message
	 * @throws DnodeSendException when the connection is closed or the transport fails
	 */
	public void send(EncodedMessage message) {
		if (!this.open) {
			throw new DnodeSendException("can't send, connection is closed");
		}
		try {
			this.sender.send(message.text());
		}
		catch (IOException | RuntimeException ex) {
			throw new DnodeSendException("can't send: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Encodes a message without sending it. Functions inside the arguments are
	 * registered.
	 * @param method a method name, or a peer function id
	 * @param arguments the arguments
	 * @return the dnode JSON text
	 */
	public String encode(Object method, @Nullable Object... arguments) {
		return encodeText(method, arguments, new CallbackPaths());
	}

	/**
	 * Encodes a message without sending it and reports which callback ids it assigned
	 * where. A caller that owns the transport uses this to learn the id of a function it
	 * needs to forget later (a client's {@code responseCallback}).
	 * @param method a method name, or a peer function id
	 * @param arguments the arguments; functions inside are registered on this connection
	 * @return the dnode JSON text and its callback paths
	 * @throws DnodeSendException when an argument cannot be serialised
	 */
	public EncodedMessage encodeMessage(Object method, @Nullable Object... arguments) {
		CallbackPaths paths = new CallbackPaths();
		String text = encodeText(method, arguments, paths);
		return new EncodedMessage(text, paths.asMap());
	}

	private String encodeText(Object method, @Nullable Object @Nullable [] arguments, CallbackPaths paths) {
		OutgoingMessage message = new OutgoingMessage(method, (arguments != null) ? arguments : NO_ARGUMENTS,
				new DnodeModule.EncodingState(this, paths));
		try {
			// No writer.withAttribute(...) here: Jackson caches per-writer configurations
			// with the serializers, which would keep this connection (and all it
			// references) reachable for as long as the mapper lives. The message
			// serializer makes the state a per-call attribute.
			return escapeLoneSurrogates(this.writer.writeValueAsString(message));
		}
		catch (JacksonException ex) {
			throw new DnodeSendException("can't encode arguments: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Escapes every lone surrogate of an encoded message as a JSON unicode escape.
	 * Jackson writes a string's characters as they are, and a string may hold a lone
	 * surrogate: a peer may send one as a JSON escape (kite.js does for such a JavaScript
	 * string), and an echoed argument or an error message quoting a method name carries
	 * it back. No WebSocket can send it as UTF-8: Tomcat fails the whole message and the
	 * session is closed (found by the fuzzer in kite-benchmarks). A lone surrogate can
	 * only be inside a JSON string, where the escape means what the character meant:
	 * kite.js reads back the same string, Go reads U+FFFD, as it reads any lone surrogate
	 * escape.
	 * @param text an encoded message
	 * @return the text, or a copy with each lone surrogate escaped
	 */
	static String escapeLoneSurrogates(String text) {
		StringBuilder escaped = null;
		int copied = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!Character.isSurrogate(c)) {
				continue;
			}
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++; // a pair: a character like any other
				continue;
			}
			if (escaped == null) {
				escaped = new StringBuilder(text.length() + 16);
			}
			escaped.append(text, copied, i).append(String.format("\\u%04x", (int) c));
			copied = i + 1;
		}
		return (escaped != null) ? escaped.append(text, copied, text.length()).toString() : text;
	}

	/**
	 * One encoded message.
	 *
	 * @param text the dnode JSON text
	 * @param callbacks the {@code callbacks} map written into it: decimal id → path
	 * inside {@code arguments} (array indices as {@link Integer}s, keys as
	 * {@link String}s)
	 */
	public record EncodedMessage(String text, Map<String, List<Object>> callbacks) {

		public EncodedMessage {
			callbacks = Collections.unmodifiableMap(callbacks);
		}

		/**
		 * The id of the function written at a path.
		 * @param path e.g. {@code List.of(0, "responseCallback")}
		 * @return the id, or {@code -1} when no function sits there
		 */
		public long callbackIdAt(List<?> path) {
			for (Map.Entry<String, List<Object>> entry : this.callbacks.entrySet()) {
				if (entry.getValue().equals(path)) {
					return Long.parseLong(entry.getKey());
				}
			}
			return -1;
		}

		/** Every id assigned in this message. */
		public long[] callbackIds() {
			return this.callbacks.keySet().stream().mapToLong(Long::parseLong).toArray();
		}

	}

	/**
	 * Parses one frame into a message, placing a {@link RemoteCallback} at each
	 * function's path.
	 * @param text the frame
	 * @return the message
	 * @throws DnodeFormatException when the frame is not a dnode message
	 */
	public DnodeMessage decode(String text) {
		JsonNode root;
		try {
			root = this.mapper.readTree(text);
		}
		catch (JacksonException ex) {
			throw new DnodeFormatException("message is not valid JSON", ex);
		}
		if (root == null || !root.isObject()) {
			throw new DnodeFormatException("message is not a JSON object");
		}
		JsonNode argumentsNode = root.get("arguments");
		ArrayNode arguments;
		if (argumentsNode == null || argumentsNode.isNull()) {
			arguments = this.mapper.createArrayNode();
		}
		else if (argumentsNode instanceof ArrayNode array) {
			arguments = array;
		}
		else {
			throw new DnodeFormatException("\"arguments\" is not an array");
		}
		JsonNode callbacksNode = root.get("callbacks");
		if (callbacksNode != null && callbacksNode.isObject()) {
			attachCallbacks(arguments, callbacksNode);
		}
		JsonNode method = root.get("method");
		if (method != null && method.isString()) {
			return new DnodeMessage.MethodCall(method.stringValue(), arguments);
		}
		if (method != null && method.isIntegralNumber() && method.canConvertToLong() && method.longValue() >= 0) {
			return new DnodeMessage.CallbackCall(method.longValue(), arguments);
		}
		throw new DnodeFormatException("\"method\" is neither a string nor a callback id");
	}

	private void attachCallbacks(ArrayNode arguments, JsonNode callbacksNode) {
		for (Map.Entry<String, JsonNode> entry : callbacksNode.properties()) {
			long id;
			try {
				id = Long.parseLong(entry.getKey());
			}
			catch (NumberFormatException ex) {
				continue; // not an id: nothing can call it
			}
			if (entry.getValue() instanceof ArrayNode path && !path.isEmpty()) {
				placeAt(arguments, path, new RemoteFunction(this, id));
			}
		}
	}

	/**
	 * Replaces the node at {@code path} with a holder for {@code function}; ignores dead
	 * paths.
	 */
	private void placeAt(ArrayNode arguments, ArrayNode path, RemoteCallback function) {
		JsonNode container = arguments;
		int last = path.size() - 1;
		for (int i = 0; i < last && container != null; i++) {
			container = child(container, path.get(i));
		}
		if (container == null) {
			return;
		}
		JsonNode step = path.get(last);
		JsonNode holder = this.mapper.getNodeFactory().pojoNode(function);
		if (container instanceof ArrayNode array) {
			int index = indexOf(step);
			if (index >= 0 && index < array.size()) {
				array.set(index, holder);
			}
		}
		else if (container instanceof ObjectNode object && step.isString() && object.has(step.stringValue())) {
			object.set(step.stringValue(), holder);
		}
	}

	private static @Nullable JsonNode child(JsonNode container, JsonNode step) {
		if (container.isArray()) {
			int index = indexOf(step);
			return (index >= 0) ? container.get(index) : null;
		}
		if (container.isObject() && step.isString()) {
			return container.get(step.stringValue());
		}
		return null;
	}

	/**
	 * An array step: a JSON integer (Go) or a string of digits (kite.js); -1 otherwise.
	 */
	private static int indexOf(JsonNode step) {
		if (step.isIntegralNumber() && step.canConvertToInt()) {
			return step.intValue();
		}
		if (step.isString()) {
			String text = step.stringValue();
			if (!text.isEmpty() && text.length() < 10 && text.chars().allMatch(Character::isDigit)) {
				return Integer.parseInt(text);
			}
		}
		return -1;
	}

	/**
	 * Registers a local function and returns its id. Called while encoding.
	 * @param callback the function
	 * @return its id on this connection
	 */
	long registerCallback(KiteCallback callback) {
		long id = this.nextCallbackId.getAndIncrement();
		if (this.open) {
			this.callbacks.put(id, callback);
			if (this.callbacks.size() > this.maxCallbacks) {
				releaseOldest(id);
			}
		}
		return id;
	}

	/**
	 * Releases the oldest function while the table is over its bound. A peer that keeps
	 * sending calls with functions in them (each one held for the life of the connection,
	 * PROTOCOL §2.2) must not grow the table without end; the oldest is the one least
	 * likely to be called again. The newest (the one just registered) is never released.
	 */
	private void releaseOldest(long newest) {
		while (this.callbacks.size() > this.maxCallbacks) {
			long candidate = this.oldestCandidate.get();
			if (candidate >= newest) {
				return;
			}
			if (!this.oldestCandidate.compareAndSet(candidate, candidate + 1)) {
				continue;
			}
			if (this.callbacks.remove(candidate) != null) {
				// The first release is news; the following ones of the same connection
				// would only repeat it once per call.
				if (this.released.getAndIncrement() == 0) {
					logger.info(
							"Releasing the oldest functions of a connection that holds more than {} "
									+ "(function {} first; further releases are logged at DEBUG)",
							this.maxCallbacks, candidate);
				}
				else {
					logger.debug("Released function {} (over {} held)", candidate, this.maxCallbacks);
				}
			}
		}
	}

	/**
	 * The local function with the given id.
	 * @param id a callback id this side issued
	 * @return the function, or {@code null} if the id was never issued or was removed
	 */
	public @Nullable KiteCallback callback(long id) {
		return this.callbacks.get(id);
	}

	/**
	 * Forgets a local function, e.g. a response callback that has been answered or timed
	 * out.
	 * @param id its id
	 */
	public void removeCallback(long id) {
		this.callbacks.remove(id);
	}

	/** The number of functions currently registered (for metrics and leak tests). */
	public int callbackCount() {
		return this.callbacks.size();
	}

	/** Marks the connection closed and drops every registered function. Idempotent. */
	public void close() {
		this.open = false;
		this.callbacks.clear();
	}

	/** A peer function on this connection. */
	private record RemoteFunction(DnodeConnection connection, long id) implements RemoteCallback {

		@Override
		public void call(@Nullable Object... arguments) {
			this.connection.send(this.id, arguments);
		}

		@Override
		public boolean isOpen() {
			return this.connection.isOpen();
		}

		@Override
		public String toString() {
			return "RemoteCallback[" + this.id + "]";
		}

	}

}
