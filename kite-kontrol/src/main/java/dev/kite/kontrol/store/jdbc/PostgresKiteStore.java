package dev.kite.kontrol.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.kite.kontrol.store.KiteRecord;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.kontrol.store.KiteStoreEvent;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteEvent;
import dev.kite.protocol.KontrolQuery;

/**
 * A {@link KiteStore} on the Go Kontrol's {@code kite.kite} table (PROTOCOL §6.12), with
 * Go's statements, so that Go and Java Kontrols can share one database: an upsert updates
 * {@code url}, {@code key_id} and {@code updated_at} of an existing id and otherwise
 * inserts all nine columns; a lookup is one AND-equality per non-empty query field. Kite
 * ids are UUIDs (the {@code id} column is {@code uuid}); writing a non-UUID id fails with
 * an {@link IllegalArgumentException}, looking one up finds nothing.
 *
 * <p>
 * Events: every change that publishes an event sends, in the same transaction, a
 * {@code NOTIFY} on {@link #CHANNEL} with the event as a small JSON document. Each store
 * instance {@code LISTEN}s on its own dedicated connection and delivers what it hears to
 * its subscribers, so a subscriber sees the changes made through every instance sharing
 * the database, its own included, in commit order. The Go Kontrol sends no notifications:
 * kites it writes are not seen as events. Notifications sent while an instance is
 * reconnecting its listener are lost (PostgreSQL does not queue them); kites heal by
 * re-registering.
 *
 * <p>
 * Threads: the store methods may be called from any thread. Subscribers are called on the
 * store's listener thread ({@code kite-store-listener-N}), one event at a time; that
 * thread is started by the first {@link #subscribe subscription} and stopped by
 * {@link #close()} within a bound. It holds one connection of the listener
 * {@link DataSource} for as long as it runs, reconnecting with backoff when it breaks.
 * The schema must exist (see {@link KontrolSchema#createIfMissing}).
 *
 * <p>
 * Time: {@code updated_at} holds the instant the caller passed (to the microsecond,
 * PostgreSQL's precision), not {@code NOW() AT TIME ZONE 'UTC'} as Go writes it. The two
 * agree when the Go Kontrol's database sessions use the UTC time zone (then Go's cleaner
 * expires Java-written rows on time); a Go session in another zone shifts what Go writes
 * and compares by its UTC offset.
 */
public class PostgresKiteStore implements KiteStore, AutoCloseable {

	/** The notification channel the stores broadcast their changes on. */
	public static final String CHANNEL = "kite_kontrol_events";

	/** PostgreSQL's limit on a notification payload is 8000 bytes; stay below it. */
	static final int MAX_PAYLOAD_BYTES = 7900;

	private static final Logger logger = LoggerFactory.getLogger(PostgresKiteStore.class);

	private static final AtomicInteger threadCount = new AtomicInteger();

	private static final String COLUMNS = "username, environment, kitename, version, region, hostname, id, url, key_id, updated_at";

	private static final Duration POLL_TIMEOUT = Duration.ofMillis(250);

	private static final Duration MIN_BACKOFF = Duration.ofMillis(100);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final DataSource listenerDataSource;

	private final Duration listenTimeout;

	private final JsonMapper json = JsonMapper.builder().build();

	private final List<Consumer<KiteStoreEvent>> listeners = new CopyOnWriteArrayList<>();

	/** Guards the listener lifecycle fields below; waited on for backoff. */
	private final Object lifecycle = new Object();

	private @Nullable Thread listenerThread;

	private boolean closed;

	/** Counted down once the first {@code LISTEN} succeeded. */
	private final CountDownLatch listening = new CountDownLatch(1);

	/**
	 * Creates a store whose listener takes its connection from the same database.
	 * @param dataSource the database holding the {@code kite} schema
	 */
	public PostgresKiteStore(DataSource dataSource) {
		this(dataSource, dataSource, Duration.ofSeconds(10));
	}

	/**
	 * Creates a store.
	 * @param dataSource the database holding the {@code kite} schema
	 * @param listenerDataSource where the listener takes its one long-lived connection
	 * (the same database; a separate, unpooled source keeps it out of a pool)
	 * @param listenTimeout how long {@link #subscribe} waits for the listener's first
	 * {@code LISTEN}, so that a new subscriber misses no later change; when the database
	 * is unreachable it returns after this time and events flow once the listener
	 * connects
	 */
	public PostgresKiteStore(DataSource dataSource, DataSource listenerDataSource, Duration listenTimeout) {
		Objects.requireNonNull(dataSource, "dataSource");
		this.jdbc = JdbcClient.create(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.listenerDataSource = Objects.requireNonNull(listenerDataSource, "listenerDataSource");
		this.listenTimeout = Objects.requireNonNull(listenTimeout, "listenTimeout");
	}

	@Override
	public void upsert(Kite kite, String url, String keyId, Instant now) {
		KiteIds.requireUuid("Kite id", kite.id());
		KiteIds.requireUuid("Key pair id", keyId);
		Objects.requireNonNull(url, "url");
		Objects.requireNonNull(now, "now");
		try {
			this.transactions.executeWithoutResult((status) -> upsertInTransaction(kite, url, keyId, now));
		}
		catch (DuplicateKeyException ex) {
			// Another instance inserted the id between our UPDATE and INSERT: it exists
			// now, so the UPDATE applies
			this.transactions.executeWithoutResult((status) -> upsertInTransaction(kite, url, keyId, now));
		}
	}

	private void upsertInTransaction(Kite kite, String url, String keyId, Instant now) {
		Optional<String> oldUrl = this.jdbc.sql("SELECT url FROM kite.kite WHERE id = ?::uuid FOR UPDATE")
			.param(kite.id())
			.query(String.class)
			.optional();
		if (oldUrl.isPresent()) {
			// Go: other fields of an existing id are never changed
			KiteRecord record = this.jdbc
				.sql("UPDATE kite.kite SET url = ?, key_id = ?::uuid, updated_at = ? WHERE id = ?::uuid RETURNING "
						+ COLUMNS)
				.params(url, keyId, timestamp(now), kite.id())
				.query(PostgresKiteStore::map)
				.single();
			if (!oldUrl.get().equals(url)) {
				notify(KiteEvent.REGISTER, record);
			}
			return;
		}
		KiteRecord record = this.jdbc
			.sql("INSERT INTO kite.kite (username, environment, kitename, version, region, hostname, id, url, key_id,"
					+ " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?::uuid, ?, ?::uuid, ?, ?) RETURNING "
					+ COLUMNS)
			.params(kite.username(), kite.environment(), kite.name(), kite.version(), kite.region(), kite.hostname(),
					kite.id(), url, keyId, timestamp(now), timestamp(now))
			.query(PostgresKiteStore::map)
			.single();
		notify(KiteEvent.REGISTER, record);
	}

	@Override
	public boolean refresh(String kiteId, String url, Instant now) {
		Objects.requireNonNull(url, "url");
		Objects.requireNonNull(now, "now");
		if (!KiteIds.isUuid(kiteId)) {
			return false;
		}
		Boolean refreshed = this.transactions.execute((status) -> {
			Optional<String> oldUrl = this.jdbc.sql("SELECT url FROM kite.kite WHERE id = ?::uuid FOR UPDATE")
				.param(kiteId)
				.query(String.class)
				.optional();
			if (oldUrl.isEmpty()) {
				return false;
			}
			KiteRecord record = this.jdbc
				.sql("UPDATE kite.kite SET url = ?, updated_at = ? WHERE id = ?::uuid RETURNING " + COLUMNS)
				.params(url, timestamp(now), kiteId)
				.query(PostgresKiteStore::map)
				.single();
			if (!oldUrl.get().equals(url)) {
				notify(KiteEvent.REGISTER, record);
			}
			return true;
		});
		return Boolean.TRUE.equals(refreshed);
	}

	@Override
	public boolean delete(String kiteId) {
		if (!KiteIds.isUuid(kiteId)) {
			return false;
		}
		Boolean deleted = this.transactions.execute((status) -> {
			Optional<KiteRecord> record = this.jdbc.sql("DELETE FROM kite.kite WHERE id = ?::uuid RETURNING " + COLUMNS)
				.param(kiteId)
				.query(PostgresKiteStore::map)
				.optional();
			record.ifPresent((deletedRecord) -> notify(KiteEvent.DEREGISTER, deletedRecord));
			return record.isPresent();
		});
		return Boolean.TRUE.equals(deleted);
	}

	@Override
	public Optional<KiteRecord> findById(String kiteId) {
		if (!KiteIds.isUuid(kiteId)) {
			return Optional.empty();
		}
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM kite.kite WHERE id = ?::uuid")
			.param(kiteId)
			.query(PostgresKiteStore::map)
			.optional();
	}

	@Override
	public List<KiteRecord> find(KontrolQuery query) {
		List<String> conditions = new ArrayList<>();
		List<Object> params = new ArrayList<>();
		// Go's order and column names; "name" is the column kitename
		addCondition(conditions, params, "username", query.username());
		addCondition(conditions, params, "environment", query.environment());
		addCondition(conditions, params, "kitename", query.name());
		addCondition(conditions, params, "version", query.version());
		addCondition(conditions, params, "region", query.region());
		addCondition(conditions, params, "hostname", query.hostname());
		if (conditions.isEmpty() && query.id().isEmpty()) {
			throw new IllegalArgumentException("all query fields are empty");
		}
		if (!query.id().isEmpty()) {
			if (!KiteIds.isUuid(query.id())) {
				return List.of(); // no row can have it
			}
			conditions.add("id = ?::uuid");
			params.add(query.id());
		}
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM kite.kite WHERE " + String.join(" AND ", conditions))
			.params(params)
			.query(PostgresKiteStore::map)
			.list();
	}

	private static void addCondition(List<String> conditions, List<Object> params, String column, String value) {
		if (!value.isEmpty()) {
			conditions.add(column + " = ?");
			params.add(value);
		}
	}

	@Override
	public int deleteExpired(Instant cutoff) {
		Objects.requireNonNull(cutoff, "cutoff");
		Integer deleted = this.transactions.execute((status) -> {
			List<KiteRecord> records = this.jdbc.sql("DELETE FROM kite.kite WHERE updated_at < ? RETURNING " + COLUMNS)
				.param(timestamp(cutoff))
				.query(PostgresKiteStore::map)
				.list();
			if (!records.isEmpty()) {
				String[] payloads = records.stream()
					.map((record) -> payload(KiteEvent.DEREGISTER, record))
					.toArray(String[]::new);
				// one round trip for all of them, still inside the transaction
				this.jdbc.sql("SELECT pg_notify(?, p) FROM unnest(?::text[]) AS p")
					.params(CHANNEL, payloads)
					.query()
					.listOfRows();
			}
			return records.size();
		});
		return (deleted != null) ? deleted : 0;
	}

	@Override
	public Subscription subscribe(Consumer<KiteStoreEvent> listener) {
		Objects.requireNonNull(listener, "listener");
		Consumer<KiteStoreEvent> subscribed = listener::accept;
		this.listeners.add(subscribed);
		if (!startListener()) {
			logger.warn("Subscribed to a closed kite store: no events will be delivered");
			return () -> this.listeners.remove(subscribed);
		}
		try {
			if (!this.listening.await(this.listenTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("Kite store listener not connected after {}; events will flow once it is",
						this.listenTimeout);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return () -> this.listeners.remove(subscribed);
	}

	/**
	 * Stops the listener and waits for its thread, at most a few seconds (the poll
	 * timeout bounds how long it takes to notice). Closing twice is harmless.
	 */
	@Override
	public void close() {
		Thread thread;
		synchronized (this.lifecycle) {
			this.closed = true;
			this.lifecycle.notifyAll(); // ends a backoff wait
			thread = this.listenerThread;
		}
		if (thread != null && thread != Thread.currentThread()) {
			try {
				thread.join(POLL_TIMEOUT.multipliedBy(4).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (thread.isAlive()) {
				logger.warn("Kite store listener thread did not stop within {}", POLL_TIMEOUT.multipliedBy(4));
			}
		}
	}

	/** Starts the listener unless it runs; returns false when the store is closed. */
	private boolean startListener() {
		synchronized (this.lifecycle) {
			if (this.closed) {
				return false;
			}
			if (this.listenerThread == null) {
				Thread thread = new Thread(this::listen, "kite-store-listener-" + threadCount.incrementAndGet());
				thread.setDaemon(true);
				this.listenerThread = thread;
				thread.start();
			}
			return true;
		}
	}

	private boolean isClosed() {
		synchronized (this.lifecycle) {
			return this.closed;
		}
	}

	/** The listener thread: LISTEN, poll, deliver; reconnect with backoff. */
	private void listen() {
		Duration backoff = MIN_BACKOFF;
		while (!isClosed()) {
			try (Connection connection = this.listenerDataSource.getConnection()) {
				connection.setAutoCommit(true);
				PGConnection pgConnection = connection.unwrap(PGConnection.class);
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN " + CHANNEL);
				}
				this.listening.countDown();
				backoff = MIN_BACKOFF;
				while (!isClosed()) {
					PGNotification[] notifications = pgConnection.getNotifications((int) POLL_TIMEOUT.toMillis());
					if (notifications != null) {
						for (PGNotification notification : notifications) {
							deliver(notification.getParameter());
						}
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (isClosed()) {
					return;
				}
				logger.warn("Kite store listener lost its connection ({}); reconnecting in {}; changes made"
						+ " meanwhile are not delivered", ex.getMessage(), backoff);
				synchronized (this.lifecycle) {
					if (!this.closed) {
						try {
							this.lifecycle.wait(backoff.toMillis());
						}
						catch (InterruptedException interrupted) {
							Thread.currentThread().interrupt();
							return;
						}
					}
				}
				backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
			}
		}
	}

	private void deliver(String payload) {
		KiteStoreEvent event;
		try {
			event = toEvent(this.json.readValue(payload, Payload.class));
		}
		catch (JacksonException | IllegalArgumentException ex) {
			logger.warn("Ignoring a malformed notification on {}: {}", CHANNEL, ex.getMessage());
			return;
		}
		for (Consumer<KiteStoreEvent> listener : this.listeners) {
			try {
				listener.accept(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Kite store listener failed on {} of {}", event.action(), event.record().kite().id(), ex);
			}
		}
	}

	private KiteStoreEvent toEvent(Payload payload) {
		if (payload.kite() == null && KiteEvent.REGISTER.equals(payload.action())) {
			// The payload was too large for a notification: read the record instead
			Optional<KiteRecord> record = findById(payload.id());
			if (record.isPresent()) {
				return new KiteStoreEvent(payload.action(), record.get());
			}
		}
		Kite kite = (payload.kite() != null) ? payload.kite() : new Kite("", "", payload.id(), "", "", "", "");
		Instant updatedAt = (payload.updatedAt() != null) ? Instant.parse(payload.updatedAt()) : Instant.EPOCH;
		return new KiteStoreEvent(payload.action(), new KiteRecord(kite, Objects.requireNonNullElse(payload.url(), ""),
				Objects.requireNonNullElse(payload.keyId(), ""), updatedAt));
	}

	/** Sends the event's notification inside the current transaction. */
	private void notify(String action, KiteRecord record) {
		this.jdbc.sql("SELECT pg_notify(?, ?)").params(CHANNEL, payload(action, record)).query().listOfRows();
	}

	private String payload(String action, KiteRecord record) {
		String full = this.json.writeValueAsString(new Payload(action, record.kite().id(), record.kite(), record.url(),
				record.keyId(), record.updatedAt().toString()));
		if (full.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD_BYTES) {
			return full;
		}
		// Kite fields are not length-limited by the protocol: send only the id
		return this.json.writeValueAsString(new Payload(action, record.kite().id(), null, null, null, null));
	}

	private static OffsetDateTime timestamp(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static KiteRecord map(ResultSet rs, int row) throws SQLException {
		Kite kite = new Kite(rs.getString("kitename"), rs.getString("username"), rs.getString("id"),
				rs.getString("environment"), rs.getString("region"), rs.getString("version"), rs.getString("hostname"));
		OffsetDateTime updatedAt = rs.getObject("updated_at", OffsetDateTime.class);
		return new KiteRecord(kite, rs.getString("url"), rs.getString("key_id"), updatedAt.toInstant());
	}

	/**
	 * A notification's JSON: the action and kite id always; the rest unless the
	 * notification would be too large.
	 */
	record Payload(@JsonProperty("action") String action, @JsonProperty("id") String id,
			@JsonProperty("kite") @Nullable Kite kite, @JsonProperty("url") @Nullable String url,
			@JsonProperty("keyId") @Nullable String keyId, @JsonProperty("updatedAt") @Nullable String updatedAt) {
	}

}
