package dev.kite.rpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeSendException;
import dev.kite.dnode.KiteCallback;
import dev.kite.protocol.GoDurations;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteError;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * The kite at the other end of a connection, as a kite this side can call: kites are
 * bidirectional, so a server may call a method its caller exposes on the same connection
 * (Go's {@code r.Client.Tell}, a kite.js client's {@code api}). Declare a parameter of
 * this type on a {@code @KiteMethod} to receive the caller's peer (it takes no position
 * in {@code withArgs}); keep it to call the peer later, for as long as the connection is
 * open.
 *
 * <p>
 * Each call is a normal kite request (PROTOCOL §3.1): {@code kite} is this kite's
 * identity, {@code authentication} is {@code null} (the peer dialed us, and a kite.js
 * client serves its {@code api} without authentication), {@code withArgs} an array, then
 * {@code responseCallback}. Both answers are accepted: {@code [{error, result}]} and a
 * kite.js client's positional {@code [err, result]} (§8.5). A call ends exactly once:
 * with its answer, its timeout ({@code timeout}), a failed send ({@code sendError}) or
 * the connection's end ({@code disconnect}); then its response callback is forgotten, so
 * a late answer is dropped.
 *
 * <p>
 * Thread safety: any thread may call. The calls waiting on a connection live in one table
 * kept in the session's attributes; answers arrive on the session's serial callback lane,
 * timeouts on the scheduler, the connection's end on the thread closing the session; the
 * futures are completed on the executor, so stages chained to them never run on (and
 * block) those threads.
 */
public final class KitePeer {

	private static final String CALLS_ATTRIBUTE = KitePeer.class.getName() + ".calls";

	private static final List<Object> RESPONSE_CALLBACK_PATH = List.of(0, "responseCallback");

	private final KiteSession session;

	private final KitePeers peers;

	KitePeer(KiteSession session, KitePeers peers) {
		this.session = Objects.requireNonNull(session);
		this.peers = peers;
	}

	/** The peer's identity, as its first request on the connection gave it. */
	public Kite kite() {
		return this.session.caller();
	}

	/** Whether the connection is still open. */
	public boolean isOpen() {
		return this.session.isOpen();
	}

	/**
	 * Calls a method the peer exposes, waiting for its answer at most the default
	 * timeout.
	 * @param method the method name
	 * @param arguments the {@code withArgs}; functions among them are passed as callable
	 * handles
	 * @return the result ({@code NullNode} for none); fails with a {@link KiteException}
	 * carrying the peer's error, or {@code timeout}, {@code sendError},
	 * {@code disconnect}, {@code invalidResponse}
	 */
	public CompletableFuture<JsonNode> call(String method, @Nullable Object... arguments) {
		return callWithTimeout(this.peers.defaultTimeout(), method, arguments);
	}

	/**
	 * Calls a method the peer exposes with its own timeout.
	 * @param timeout how long to wait for the answer; positive
	 * @param method the method name
	 * @param arguments the {@code withArgs}
	 * @return the result, or the failure as for {@link #call(String, Object...)}
	 */
	public CompletableFuture<JsonNode> callWithTimeout(Duration timeout, String method, @Nullable Object... arguments) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("timeout must be positive, was " + timeout);
		}
		Calls calls = calls();
		Call call = new Call(method);
		KiteCallback responder = (response) -> calls.respond(call, response);
		@Nullable Object[] withArgs = (arguments != null) ? arguments : new Object[0];
		DnodeConnection dnode = this.session.connection();
		DnodeConnection.EncodedMessage message;
		try {
			message = dnode.encodeMessage(method,
					new PeerCallEnvelope(this.peers.localKite(), null, withArgs, responder));
		}
		catch (DnodeSendException ex) {
			return CompletableFuture.failedFuture(sendError(String.valueOf(ex.getMessage()), ex));
		}
		calls.add(call, message.callbackIdAt(RESPONSE_CALLBACK_PATH), timeout);
		if (call.timer == null) {
			// refused: the application is stopping; the message is never sent
			for (long id : message.callbackIds()) {
				dnode.removeCallback(id);
			}
			return call.future;
		}
		if (!this.session.isOpen()) {
			calls.finish(call, null, disconnect());
			return call.future;
		}
		try {
			dnode.send(message);
		}
		catch (DnodeSendException ex) {
			// Go forgets a message's functions when its send fails
			for (long id : message.callbackIds()) {
				dnode.removeCallback(id);
			}
			calls.finish(call, null, sendError(String.valueOf(ex.getMessage()), ex));
		}
		return call.future;
	}

	/** The number of calls on this connection waiting for their answer. */
	public int pendingCallCount() {
		Object calls = this.session.attributes().get(CALLS_ATTRIBUTE);
		return (calls instanceof Calls table) ? table.calls.size() : 0;
	}

	private Calls calls() {
		return (Calls) this.session.attributes().computeIfAbsent(CALLS_ATTRIBUTE, (key) -> {
			Calls created = new Calls(this.session.connection(), this.peers);
			// one hook per connection, not per call: a long-lived connection would
			// otherwise collect them
			this.session.onClose(() -> created.failAll(disconnect()));
			return created;
		});
	}

	private static KiteException disconnect() {
		return new KiteException(KiteErrorTypes.DISCONNECT, "Remote kite has disconnected");
	}

	private static KiteException sendError(String message, Throwable cause) {
		return new KiteException(new KiteError(KiteErrorTypes.SEND_ERROR, message, "", ""), cause);
	}

	@Override
	public String toString() {
		return "KitePeer[" + this.session + "]";
	}

	/**
	 * The envelope of a call, in kite.js's key order: {@code authentication} is written
	 * as {@code null}, {@code withArgs} always as an array ({@code null} crashes kite.js,
	 * §8.2), the response callback last, so functions inside {@code withArgs} get the
	 * lower ids.
	 */
	@JsonPropertyOrder({ "kite", "authentication", "withArgs", "responseCallback" })
	record PeerCallEnvelope(@JsonProperty("kite") Kite kite,
			@JsonProperty("authentication") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Object authentication,
			@JsonProperty("withArgs") @Nullable Object[] withArgs,
			@JsonProperty("responseCallback") KiteCallback responseCallback) {
	}

	/** One call waiting for its answer. */
	static final class Call {

		final String method;

		final CompletableFuture<JsonNode> future = new CompletableFuture<>();

		// Written before the call is visible to other threads (set in Calls.add before
		// the message is sent).
		volatile long id = -1;

		volatile @Nullable ScheduledFuture<?> timer;

		Call(String method) {
			this.method = method;
		}

	}

	/**
	 * The calls of one connection waiting for their answer; a call ends exactly once,
	 * through the atomic {@code remove(id, call)} of the concurrent table.
	 */
	static final class Calls {

		final Map<Long, Call> calls = new ConcurrentHashMap<>();

		private final DnodeConnection connection;

		private final KitePeers peers;

		Calls(DnodeConnection connection, KitePeers peers) {
			this.connection = connection;
			this.peers = peers;
		}

		void add(Call call, long id, Duration timeout) {
			call.id = id;
			this.calls.put(id, call);
			try {
				call.timer = this.peers.scheduler()
					.schedule(
							() -> finish(call, null,
									new KiteException(KiteErrorTypes.TIMEOUT,
											"No response to \"" + call.method + "\" method in "
													+ GoDurations.format(timeout))),
							this.peers.scheduler().getClock().instant().plus(timeout));
			}
			catch (RejectedExecutionException ex) {
				// no call without its time limit
				finish(call, null, new KiteException(KiteErrorTypes.SEND_ERROR, "can't send, the kite is stopping"));
			}
		}

		void respond(Call call, JsonNode[] response) {
			JsonNode result;
			try {
				result = KiteResponseReader.read(response);
			}
			catch (KiteException ex) {
				finish(call, null, ex);
				return;
			}
			finish(call, (result != null) ? result : NullNode.getInstance(), null);
		}

		void failAll(KiteException failure) {
			for (Call call : this.calls.values()) {
				finish(call, null, failure);
			}
		}

		void finish(Call call, @Nullable JsonNode result, @Nullable KiteException failure) {
			if (!this.calls.remove(call.id, call)) {
				return; // ended already
			}
			ScheduledFuture<?> timer = call.timer;
			if (timer != null) {
				timer.cancel(false);
			}
			this.connection.removeCallback(call.id);
			complete(this.peers.executor(), call.future, result, failure);
		}

		private static void complete(Executor executor, CompletableFuture<JsonNode> future, @Nullable JsonNode result,
				@Nullable KiteException failure) {
			Runnable completion = (failure != null) ? () -> future.completeExceptionally(failure)
					: () -> future.complete(Objects.requireNonNull(result));
			try {
				executor.execute(completion);
			}
			catch (RejectedExecutionException ex) {
				completion.run(); // the application is stopping: complete here
			}
		}

	}

}
