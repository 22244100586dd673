package dev.kite.rpc;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.kite.dnode.DnodeConnection;
import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import dev.kite.protocol.LogSafe;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection between this kite and a peer, as the serving pipeline sees it: the dnode
 * state, who the peer is, whether we trust it, and what must stop when it closes.
 *
 * <p>
 * The peer's identity is fixed by the {@code kite} field of its first request (Go's
 * {@code OnFirstRequest}); only its username changes later, to the verified one
 * (anti-impersonation).
 *
 * <p>
 * Thread safety: all state is atomic or concurrent; any thread may use a session. Close
 * hooks run once, on the thread that calls {@link #close()}.
 */
public final class KiteSession {

	private static final Logger logger = LoggerFactory.getLogger(KiteSession.class);

	private final String id;

	private final DnodeConnection connection;

	private final boolean trusted;

	private final Executor callbackExecutor;

	private final AtomicReference<@Nullable Kite> caller = new AtomicReference<>();

	private final List<CloseHookEntry> closeHooks = new CopyOnWriteArrayList<>();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final WarningLimiter warnings = new WarningLimiter();

	private final ConcurrentMap<String, Object> attributes = new ConcurrentHashMap<>();

	private final LastBinding<Kite> lastKite = new LastBinding<>(Kite.class);

	private final LastBinding<Auth> lastAuth = new LastBinding<>(Auth.class);

	/**
	 * @param id a transport session id, for logs
	 * @param connection the dnode state
	 * @param trusted {@code true} for a connection this side dialed: requests on it skip
	 * authentication, as Go's dialer trusts the kite it dialed (PROTOCOL §4.6)
	 * @param executor the shared executor; the peer's callback invocations run on it one
	 * at a time
	 */
	public KiteSession(String id, DnodeConnection connection, boolean trusted, Executor executor) {
		this.id = id;
		this.connection = connection;
		this.trusted = trusted;
		this.callbackExecutor = new SerialExecutor(executor);
	}

	/** The transport session id. */
	public String id() {
		return this.id;
	}

	/** The dnode state of this connection. */
	public DnodeConnection connection() {
		return this.connection;
	}

	/** Whether this side dialed the connection (requests on it are trusted). */
	public boolean isTrusted() {
		return this.trusted;
	}

	/** Whether the connection is still open. */
	public boolean isOpen() {
		return this.connection.isOpen();
	}

	/** Runs the peer's invocations of our functions one at a time, in arrival order. */
	Executor callbackExecutor() {
		return this.callbackExecutor;
	}

	/** The {@code kite} object of the peer's last request, bound. */
	LastBinding<Kite> lastKite() {
		return this.lastKite;
	}

	/** The {@code authentication} object of the peer's last request, bound. */
	LastBinding<Auth> lastAuth() {
		return this.lastAuth;
	}

	/**
	 * Records the peer's identity if none is recorded yet.
	 * @param kite the {@code kite} field of a request
	 */
	void recordCaller(Kite kite) {
		if (this.caller.get() == null) { // a plain read: the compare-and-set only once
			this.caller.compareAndSet(null, kite);
		}
	}

	/**
	 * Replaces the recorded username with a verified one.
	 * @param username the verified username
	 */
	void verifiedUsername(String username) {
		Kite current = this.caller.get();
		if (current != null && current.username().equals(username)) {
			// The usual case after the first call: keep the same identity instance, which
			// the providers' caches of finished authentications compare first.
			return;
		}
		this.caller.updateAndGet((kite) -> ((kite != null) ? kite : Kite.unknown()).withUsername(username));
	}

	/** The peer's identity, or an all-empty identity if it has sent none. */
	public Kite caller() {
		Kite kite = this.caller.get();
		return (kite != null) ? kite : Kite.unknown();
	}

	/** Attributes for layers above (e.g. the heartbeat timer). */
	public ConcurrentMap<String, Object> attributes() {
		return this.attributes;
	}

	/**
	 * Registers something to run when the connection closes; runs it at once if already
	 * closed.
	 * @param hook the action
	 * @return a handle that removes the hook again, for an owner that replaces its hook
	 * (e.g. a new heartbeat timer replacing the previous one) instead of adding one per
	 * request
	 */
	public CloseHook onClose(Runnable hook) {
		CloseHookEntry entry = new CloseHookEntry(hook, this.closeHooks);
		this.closeHooks.add(entry);
		if (!isOpen() && this.closeHooks.remove(entry)) {
			hook.run();
		}
		return entry;
	}

	/** The number of close hooks registered (for leak tests). */
	public int closeHookCount() {
		return this.closeHooks.size();
	}

	/**
	 * Counts a call as started unless the connection already has {@code max} in flight.
	 * @param max the most calls in flight
	 * @return whether the call may run; if so, {@link #callFinished()} must follow once
	 */
	boolean tryStartCall(int max) {
		if (this.inFlight.incrementAndGet() > max) {
			this.inFlight.decrementAndGet();
			return false;
		}
		return true;
	}

	/** Counts a call started by {@link #tryStartCall(int)} as answered. */
	void callFinished() {
		this.inFlight.decrementAndGet();
	}

	/** The number of calls running or waiting on this connection. */
	public int inFlightCalls() {
		return this.inFlight.get();
	}

	/** Bounds the WARN lines this connection causes. */
	WarningLimiter warnings() {
		return this.warnings;
	}

	/** Closes the dnode state and runs the close hooks. Idempotent. */
	public void close() {
		this.connection.close();
		for (CloseHookEntry entry : this.closeHooks) {
			if (this.closeHooks.remove(entry)) {
				try {
					entry.hook.run();
				}
				catch (RuntimeException ex) {
					logger.warn("A close hook of session {} failed", LogSafe.of(this.id), ex);
				}
			}
		}
	}

	@Override
	public String toString() {
		// The id (SockJS: chosen by the client) and the caller are the peer's words:
		// escaped for logs.
		return "KiteSession[" + LogSafe.escape(this.id) + ", caller=" + LogSafe.escape(caller().toString()) + "]";
	}

	/**
	 * A hook registered with {@link #onClose(Runnable)}.
	 */
	@FunctionalInterface
	public interface CloseHook {

		/** Removes the hook; it will not run. Idempotent. */
		void remove();

	}

	/**
	 * One registration: its own identity, so removing it never removes an equal hook
	 * registered by someone else.
	 */
	private static final class CloseHookEntry implements CloseHook {

		private final Runnable hook;

		private final List<CloseHookEntry> hooks;

		CloseHookEntry(Runnable hook, List<CloseHookEntry> hooks) {
			this.hook = hook;
			this.hooks = hooks;
		}

		@Override
		public void remove() {
			this.hooks.remove(this);
		}

	}

}
