package dev.kite.kontrol;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kite.dnode.DnodeSendException;
import dev.kite.dnode.KiteCallback;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.protocol.GoDurations;
import dev.kite.protocol.Kite;
import dev.kite.protocol.LogSafe;
import dev.kite.rpc.KiteSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The registrations made over dnode and their heartbeats (PROTOCOL §6.3): Kontrol asks
 * the registering kite, over the same connection, to call a ping function every heartbeat
 * interval; each ping resets a watchdog (interval + delay) and refreshes the record at
 * most once per update interval (the first ping at once). When the watchdog fires the
 * refreshing stops and the record is left to expire; a later ping re-upserts it. When the
 * connection closes the record is deleted at once if so configured (Go leaves it to
 * expire).
 *
 * <p>
 * One registration per kite id is current; a new one (a re-register, or a reconnect that
 * arrives before the old connection is noticed closed) replaces it, and the replaced
 * one's connection closing no longer deletes anything.
 *
 * <p>
 * Thread safety: pings run on the session's callback thread, watchdogs on the scheduler;
 * each registration's state is guarded by its own monitor, the table is a concurrent map.
 */
final class HeartbeatRegistrations {

	private static final Logger logger = LoggerFactory.getLogger(HeartbeatRegistrations.class);

	private final KiteStore store;

	private final KontrolSettings settings;

	private final ConcurrentMap<String, Registration> byKiteId = new ConcurrentHashMap<>();

	HeartbeatRegistrations(KiteStore store, KontrolSettings settings) {
		this.store = store;
		this.settings = settings;
	}

	/**
	 * Tracks a registration that was just upserted and asks the kite for heartbeats.
	 * @param session the kite's Kontrol connection
	 * @param kite the registered kite
	 * @param url its URL
	 * @param keyId its key pair
	 */
	void register(KiteSession session, Kite kite, String url, String keyId) {
		Registration registration = new Registration(kite, url, keyId);
		Registration previous = this.byKiteId.put(kite.id(), registration);
		if (previous != null) {
			previous.stop();
		}
		registration.armWatchdog();
		session.onClose(registration::connectionClosed);
		requestHeartbeats(session, registration);
	}

	/** Whether a kite's registration is being refreshed (its watchdog has not fired). */
	boolean isActive(String kiteId) {
		Registration registration = this.byKiteId.get(kiteId);
		return registration != null && registration.isActive();
	}

	/** Stops every watchdog (Kontrol is stopping); records are left to expire. */
	void stopAll() {
		this.byKiteId.values().forEach(Registration::stop);
		this.byKiteId.clear();
	}

	/**
	 * Sends {@code kite.heartbeat [interval, ping]} as Go's Kontrol does: Kontrol's own
	 * identity, {@code "authentication":null} (the kite trusts the Kontrol it dialed),
	 * the response callback before the ping function (ids in Go's order). The answer is
	 * only logged; no answer within the request timeout is logged too.
	 */
	private void requestHeartbeats(KiteSession session, Registration registration) {
		AtomicBoolean answered = new AtomicBoolean();
		String kite = registration.kite.toString();
		ScheduledFuture<?> timeout = this.settings.scheduler().schedule(() -> {
			if (answered.compareAndSet(false, true)) {
				logger.warn("failed requesting heartbeats from {} kite: No response to \"kite.heartbeat\" method in {}",
						LogSafe.of(kite), GoDurations.format(this.settings.heartbeatRequestTimeout()));
			}
		}, this.settings.clock().instant().plus(this.settings.heartbeatRequestTimeout()));
		KiteCallback response = (arguments) -> {
			if (answered.compareAndSet(false, true)) {
				timeout.cancel(false);
				JsonNode answer = (arguments.length > 0) ? arguments[0] : null;
				JsonNode error = (answer != null) ? answer.get("error") : null;
				if (error != null && !error.isNull()) {
					logger.warn("failed requesting heartbeats from {} kite: {}", LogSafe.of(kite),
							LogSafe.of(error.toString()));
				}
			}
		};
		KiteCallback ping = (arguments) -> registration.ping();
		HeartbeatRequest request = new HeartbeatRequest(this.settings.kite(), null, response,
				new Object[] { this.settings.heartbeatInterval().toSeconds(), ping });
		try {
			session.connection().send("kite.heartbeat", request);
		}
		catch (DnodeSendException ex) {
			answered.set(true);
			timeout.cancel(false);
			logger.warn("failed requesting heartbeats from {} kite: {}", LogSafe.of(kite), LogSafe.of(ex.getMessage()));
		}
	}

	/** The envelope of Kontrol's {@code kite.heartbeat} call, in Go's key order. */
	@JsonPropertyOrder({ "kite", "authentication", "responseCallback", "withArgs" })
	record HeartbeatRequest(@JsonProperty("kite") Kite kite,
			@JsonProperty("authentication") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Object authentication,
			@JsonProperty("responseCallback") KiteCallback responseCallback,
			@JsonProperty("withArgs") Object[] withArgs) {
	}

	/** One registration's heartbeat state; guarded by its own monitor. */
	private final class Registration {

		private final Kite kite;

		private final String url;

		private final String keyId;

		private @Nullable ScheduledFuture<?> watchdog;

		private @Nullable Instant lastRefresh;

		private boolean expired;

		private boolean stopped;

		Registration(Kite kite, String url, String keyId) {
			this.kite = kite;
			this.url = url;
			this.keyId = keyId;
		}

		synchronized boolean isActive() {
			return !this.expired && !this.stopped;
		}

		synchronized void ping() {
			if (this.stopped) {
				return;
			}
			Instant now = HeartbeatRegistrations.this.settings.clock().instant();
			try {
				if (this.expired) {
					// The watchdog gave up, but the kite is alive: the record may be gone
					// (cleaned), so write it again and resume refreshing.
					logger.info("Kite {} pings again after its watchdog fired; registering it again",
							LogSafe.of(this.kite.toString()));
					HeartbeatRegistrations.this.store.upsert(this.kite, this.url, this.keyId, now);
					this.lastRefresh = now;
					this.expired = false;
				}
				else if (this.lastRefresh == null || !now
					.isBefore(this.lastRefresh.plus(HeartbeatRegistrations.this.settings.updateInterval()))) {
					if (!HeartbeatRegistrations.this.store.refresh(this.kite.id(), this.url, now)) {
						HeartbeatRegistrations.this.store.upsert(this.kite, this.url, this.keyId, now);
					}
					this.lastRefresh = now;
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Cannot refresh kite {}", LogSafe.of(this.kite.toString()), ex);
			}
			armWatchdog();
		}

		synchronized void armWatchdog() {
			if (this.watchdog != null) {
				this.watchdog.cancel(false);
			}
			KontrolSettings settings = HeartbeatRegistrations.this.settings;
			this.watchdog = settings.scheduler()
				.schedule(this::expire, settings.clock().instant().plus(settings.watchdog()));
		}

		synchronized void expire() {
			if (!this.stopped && !this.expired) {
				logger.debug("Kite {} sent no heartbeat for {}; its record is left to expire",
						LogSafe.of(this.kite.toString()), HeartbeatRegistrations.this.settings.watchdog());
				this.expired = true;
			}
		}

		synchronized void stop() {
			this.stopped = true;
			if (this.watchdog != null) {
				this.watchdog.cancel(false);
			}
		}

		void connectionClosed() {
			stop();
			if (HeartbeatRegistrations.this.byKiteId.remove(this.kite.id(), this)) {
				logger.info("Kite disconnected: {}", LogSafe.of(this.kite.toString()));
				if (HeartbeatRegistrations.this.settings.deregisterOnDisconnect()) {
					try {
						HeartbeatRegistrations.this.store.delete(this.kite.id());
					}
					catch (RuntimeException ex) {
						logger.warn("Cannot delete the record of disconnected kite {}; it expires instead",
								LogSafe.of(this.kite.toString()), ex);
					}
				}
			}
		}

	}

}
