package dev.kite.kontrol;

import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kite.dnode.DnodeSendException;
import dev.kite.dnode.RemoteCallback;
import dev.kite.kontrol.query.KiteQueries;
import dev.kite.kontrol.store.KiteRecord;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.kontrol.store.KiteStoreEvent;
import dev.kite.protocol.KiteEvent;
import dev.kite.protocol.KontrolQuery;
import dev.kite.protocol.LogSafe;
import dev.kite.rpc.KiteSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;

/**
 * Watching {@code getKites} calls (PROTOCOL §6.13): each watcher subscribes to the store
 * and calls the caller's {@code watchCallback} with
 * {@code {"error":null,"result":KiteEvent}} for every registration ({@code REGISTER},
 * with a token) and deregistration ({@code DEREGISTER}) of a kite matching its query. A
 * watcher ends on {@code cancelWatcher}, when its connection closes, or when a delivery
 * fails.
 *
 * <p>
 * Thread safety: store listeners only queue; each watcher delivers its events one at a
 * time, in order, on the scheduler (minting a token and sending may take a while, and
 * store listeners must not block). The table is a concurrent map.
 */
final class KiteWatchers {

	private static final Logger logger = LoggerFactory.getLogger(KiteWatchers.class);

	private final KiteStore store;

	private final TaskScheduler scheduler;

	private final BiFunction<Watcher, KiteRecord, String> tokenFor;

	private final ConcurrentMap<String, Watcher> watchers = new ConcurrentHashMap<>();

	/**
	 * @param tokenFor mints the token sent with a {@code REGISTER} event
	 */
	KiteWatchers(KiteStore store, TaskScheduler scheduler, TokenMinter tokenFor) {
		this.store = store;
		this.scheduler = scheduler;
		this.tokenFor = (watcher, record) -> tokenFor.token(watcher.query, watcher.requester, record);
	}

	/** Mints a token for a watcher's requester and a registered kite. */
	@FunctionalInterface
	interface TokenMinter {

		String token(KontrolQuery query, String requester, KiteRecord record);

	}

	/**
	 * Starts a watcher; it is subscribed before this returns, so that no change made
	 * after the caller's lookup is missed (one made in between may be seen twice).
	 * @return the watcher's id
	 */
	String watch(KiteSession session, KontrolQuery query, RemoteCallback callback, String requester) {
		Watcher watcher = new Watcher(UUID.randomUUID().toString(), session, query, callback, requester);
		this.watchers.put(watcher.id, watcher);
		watcher.subscription = this.store.subscribe(watcher::onChange);
		session.onClose(() -> cancel(watcher));
		return watcher.id;
	}

	/**
	 * Cancels a watcher of the given session.
	 * @return whether the session had a watcher with that id
	 */
	boolean cancel(KiteSession session, String id) {
		Watcher watcher = this.watchers.get(id);
		if (watcher == null || watcher.session != session) {
			return false;
		}
		cancel(watcher);
		return true;
	}

	/** How many watchers are active. */
	int count() {
		return this.watchers.size();
	}

	/** Cancels every watcher (Kontrol is stopping). */
	void cancelAll() {
		this.watchers.values().forEach(this::cancel);
	}

	private void cancel(Watcher watcher) {
		if (this.watchers.remove(watcher.id, watcher)) {
			watcher.cancelled = true;
			KiteStore.Subscription subscription = watcher.subscription;
			if (subscription != null) {
				subscription.close();
			}
		}
	}

	/** The argument of a watch callback invocation, Go's response shape. */
	@JsonPropertyOrder({ "error", "result" })
	record WatchResponse(@JsonProperty("error") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Object error,
			@JsonProperty("result") KiteEvent result) {
	}

	private final class Watcher {

		final String id;

		final KiteSession session;

		final KontrolQuery query;

		final RemoteCallback callback;

		final String requester;

		volatile KiteStore.@Nullable Subscription subscription;

		volatile boolean cancelled;

		private final Queue<KiteStoreEvent> pending = new ConcurrentLinkedQueue<>();

		private final AtomicBoolean draining = new AtomicBoolean();

		Watcher(String id, KiteSession session, KontrolQuery query, RemoteCallback callback, String requester) {
			this.id = id;
			this.session = session;
			this.query = query;
			this.callback = callback;
			this.requester = requester;
		}

		/** A store listener: must not block, so it only queues. */
		void onChange(KiteStoreEvent event) {
			if (this.cancelled || !KiteQueries.matches(this.query, event.record().kite())) {
				return;
			}
			this.pending.add(event);
			scheduleDrain();
		}

		private void scheduleDrain() {
			if (!this.pending.isEmpty() && this.draining.compareAndSet(false, true)) {
				KiteWatchers.this.scheduler.schedule(this::drain, KiteWatchers.this.scheduler.getClock().instant());
			}
		}

		private void drain() {
			try {
				KiteStoreEvent event;
				while ((event = this.pending.poll()) != null) {
					if (this.cancelled) {
						this.pending.clear();
						return;
					}
					deliver(event);
				}
			}
			finally {
				this.draining.set(false);
				scheduleDrain();
			}
		}

		private void deliver(KiteStoreEvent event) {
			KiteRecord record = event.record();
			String token = "";
			if (KiteEvent.REGISTER.equals(event.action())) {
				try {
					token = KiteWatchers.this.tokenFor.apply(this, record);
				}
				catch (RuntimeException ex) {
					logger.warn("Cannot mint a token for watched kite {}", LogSafe.of(record.kite().toString()), ex);
				}
			}
			try {
				this.callback
					.call(new WatchResponse(null, new KiteEvent(event.action(), record.kite(), record.url(), token)));
			}
			catch (DnodeSendException ex) {
				logger.debug("Watcher {} ends: {}", this.id, LogSafe.of(ex.getMessage()));
				cancel(this);
			}
		}

	}

}
