package dev.kite.client.kontrol;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.client.KiteEndpoint;
import dev.kite.client.KiteEndpointResolver;
import dev.kite.dnode.KiteCallback;
import dev.kite.protocol.Auth;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteEvent;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.KiteWithToken;
import dev.kite.protocol.KontrolQuery;
import dev.kite.protocol.LogSafe;
import dev.kite.rpc.Failures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Finds kites through Kontrol and connects to them by query rather than by URL.
 * <ul>
 * <li>{@link #find(KontrolQuery)}: the kites matching a query, each with a token.</li>
 * <li>{@link #connect(KontrolQuery)}: a {@link KiteConnection} to one of them, returned
 * at once and dialing in the background. Before every dial it asks Kontrol again and
 * picks a match with the {@link KiteSelectionStrategy}, preferring one other than the
 * kite that just failed or dropped; it sends the token Kontrol minted (swapped by a
 * {@link KiteTokenRenewer} before it expires). No match fails that dial with
 * {@code no kites found for /user/env/name}, and the reconnect policy's backoff
 * applies.</li>
 * <li>{@link #watch(KontrolQuery, Consumer)}: {@code REGISTER}/{@code DEREGISTER} events
 * for a query, from Kontrol's watcher where Kontrol has one ({@code watchCallback},
 * PROTOCOL §6.13), or synthesized by polling {@code getKites} where it has not (Go
 * Kontrol ignores {@code watchCallback}).</li>
 * </ul>
 *
 * <p>
 * Thread safety: every method may be called from any thread and none blocks. Watch
 * listeners run one event at a time per watch, on the thread that learnt of the change
 * (the factory's executor, or the scheduler for polls); they must not block.
 */
public final class KiteDiscovery {

	/** How often a watch polls a Kontrol without watcher support. */
	public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(KiteDiscovery.class);

	private final KontrolClient kontrol;

	private final KiteClientFactory factory;

	private final KiteClientOptions baseOptions;

	private final KiteSelectionStrategy selection;

	private final TaskScheduler scheduler;

	private final Duration pollInterval;

	private final Duration renewBefore;

	/**
	 * Creates a discovery with Go's figures: poll every 10 s without watcher support,
	 * renew tokens 30 s before they expire.
	 * @param kontrol the Kontrol client (its connection is shared by all lookups)
	 * @param factory creates the connections to the kites found
	 * @param baseOptions identity, transport, timeouts, reconnect policy and TLS of those
	 * connections; their URL, auth and resolver are replaced
	 * @param selection picks among several matches
	 * @param scheduler times token renewals and polls (the factory's scheduler)
	 */
	public KiteDiscovery(KontrolClient kontrol, KiteClientFactory factory, KiteClientOptions baseOptions,
			KiteSelectionStrategy selection, TaskScheduler scheduler) {
		this(kontrol, factory, baseOptions, selection, scheduler, DEFAULT_POLL_INTERVAL,
				KiteTokenRenewer.DEFAULT_RENEW_BEFORE);
	}

	/**
	 * Creates a discovery.
	 * @param kontrol the Kontrol client
	 * @param factory creates the connections to the kites found
	 * @param baseOptions identity, transport, timeouts, reconnect policy and TLS of those
	 * connections
	 * @param selection picks among several matches
	 * @param scheduler times token renewals and polls
	 * @param pollInterval how often a watch polls a Kontrol without watcher support
	 * @param renewBefore how long before a token's {@code exp} it is renewed
	 */
	public KiteDiscovery(KontrolClient kontrol, KiteClientFactory factory, KiteClientOptions baseOptions,
			KiteSelectionStrategy selection, TaskScheduler scheduler, Duration pollInterval, Duration renewBefore) {
		this.kontrol = Objects.requireNonNull(kontrol, "kontrol");
		this.factory = Objects.requireNonNull(factory, "factory");
		this.baseOptions = Objects.requireNonNull(baseOptions, "baseOptions");
		this.selection = Objects.requireNonNull(selection, "selection");
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
		this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
		if (pollInterval.isNegative() || pollInterval.isZero()) {
			throw new IllegalArgumentException("pollInterval must be positive");
		}
		this.renewBefore = Objects.requireNonNull(renewBefore, "renewBefore");
	}

	/**
	 * Looks kites up.
	 * @param query what to look for, e.g.
	 * {@code KontrolQuery.parse("/alice/production/math")}
	 * @return the matches in Kontrol's (random) order, each with a token; empty when none
	 * matched; fails with Kontrol's error
	 */
	public CompletableFuture<List<KiteDescriptor>> find(KontrolQuery query) {
		Objects.requireNonNull(query, "query");
		return kontrol().getKites(query).thenApply((found) -> found.stream().map(KiteDescriptor::of).toList());
	}

	/**
	 * The Kontrol client, dialing if it is idle: a call made while it dials waits for the
	 * dial within the call's own timeout, so no lookup waits longer than that (whereas
	 * {@link KontrolClient#connect()} may wait forever for a Kontrol that is down).
	 */
	private KontrolClient kontrol() {
		if (!this.kontrol.connection().isConnected()) {
			this.kontrol.connect(); // the outcome reaches the call below
		}
		return this.kontrol;
	}

	/**
	 * Connects to a kite matching a query. The connection is returned at once; it dials
	 * in the background (calls made meanwhile wait for the dial, within their timeout),
	 * and its {@link KiteConnection#currentUrl()} names the kite it reached.
	 * @param query what to connect to
	 * @return the connection; close it when done
	 */
	public KiteConnection connect(KontrolQuery query) {
		return connect(query, this.baseOptions);
	}

	/**
	 * Connects to a kite matching a query, with other connection options than this
	 * discovery's (e.g. a named client's timeout and transport).
	 * @param query what to connect to
	 * @param options identity, transport, timeouts, reconnect policy and TLS of the
	 * connection; their URL, auth and resolver are replaced
	 * @return the connection; close it when done
	 */
	public KiteConnection connect(KontrolQuery query, KiteClientOptions options) {
		Objects.requireNonNull(query, "query");
		KiteClientOptions resolved = options.toBuilder()
			.url(label(query))
			.auth(null)
			.endpointResolver(new QueryResolver(query))
			.build();
		KiteConnection connection = this.factory.create(resolved);
		KiteTokenRenewer.attach(connection, this.kontrol, this.scheduler, this.renewBefore,
				KiteTokenRenewer.DEFAULT_RETRY_INTERVAL);
		connection.connect(); // the outcome reaches the calls waiting for it
		return connection;
	}

	/**
	 * Watches a query: the listener first receives a {@code REGISTER} event for every
	 * kite matching now, then one per later registration and a {@code DEREGISTER} per
	 * kite gone. After a Kontrol reconnect (watchers die with the connection) the watch
	 * subscribes again and reports only what changed meanwhile.
	 * @param query what to watch
	 * @param listener receives the events, one at a time
	 * @return the watch; close it to stop
	 */
	public Watch watch(KontrolQuery query, Consumer<KiteEvent> listener) {
		Watch watch = new Watch(Objects.requireNonNull(query, "query"), Objects.requireNonNull(listener, "listener"));
		watch.start();
		return watch;
	}

	/**
	 * The connection's name before it resolves: {@code kontrol:/alice/production/math}.
	 */
	public static URI label(KontrolQuery query) {
		try {
			return new URI("kontrol", null, query.toPath(), null);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("Cannot name a connection for " + query, ex);
		}
	}

	/** The resolver of {@link #connect}: asks Kontrol before every dial. */
	private final class QueryResolver implements KiteEndpointResolver {

		private final KontrolQuery query;

		QueryResolver(KontrolQuery query) {
			this.query = query;
		}

		@Override
		public CompletableFuture<KiteEndpoint> resolve(@Nullable KiteEndpoint previous, Reason reason) {
			return find(this.query).thenApply((found) -> choose(found, previous));
		}

		private KiteEndpoint choose(List<KiteDescriptor> found, @Nullable KiteEndpoint previous) {
			List<KiteDescriptor> usable = new ArrayList<>();
			for (KiteDescriptor candidate : found) {
				if (isDialable(candidate.url())) {
					usable.add(candidate);
				}
			}
			if (usable.isEmpty()) {
				throw new KiteException(KiteErrorTypes.GENERIC_ERROR, "no kites found for " + this.query.toPath()
						+ (found.isEmpty() ? "" : " (" + found.size() + " registered without a usable URL)"));
			}
			List<KiteDescriptor> candidates = usable;
			if (previous != null && previous.kite() != null) {
				String failedId = previous.kite().id();
				List<KiteDescriptor> others = usable.stream().filter((d) -> !d.kite().id().equals(failedId)).toList();
				if (!others.isEmpty()) {
					candidates = others; // the previous one dropped or failed to dial
				}
			}
			KiteDescriptor chosen = Objects.requireNonNull(KiteDiscovery.this.selection.select(candidates),
					"The selection strategy chose nothing");
			return new KiteEndpoint(URI.create(chosen.url()), new Auth(Auth.TOKEN, chosen.token()), chosen.kite());
		}

		private static boolean isDialable(String url) {
			try {
				String scheme = URI.create(url).getScheme();
				return scheme != null && (scheme.equals("http") || scheme.equals("https") || scheme.equals("ws")
						|| scheme.equals("wss"));
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
		}

	}

	/**
	 * One watched query. It tracks what its listener knows (kites by id), so a
	 * resubscription or a poll reports only differences.
	 *
	 * <p>
	 * Thread safety: the state is guarded by one lock; events are computed under it and
	 * delivered under a second lock that orders deliveries, never while calling Kontrol.
	 */
	public final class Watch implements AutoCloseable {

		private final KontrolQuery query;

		private final Consumer<KiteEvent> listener;

		private final Object lock = new Object();

		private final Object deliveryLock = new Object();

		// Guarded by lock:
		private final Map<String, KiteWithToken> known = new LinkedHashMap<>();

		private boolean closed;

		private boolean polling;

		private long generation;

		private @Nullable String watcherId;

		private @Nullable List<KiteEvent> buffered;

		private @Nullable ScheduledFuture<?> timer;

		private boolean lostWatcher;

		Watch(KontrolQuery query, Consumer<KiteEvent> listener) {
			this.query = query;
			this.listener = listener;
		}

		/** Whether this watch polls (Kontrol ignored {@code watchCallback}). */
		public boolean isPolling() {
			synchronized (this.lock) {
				return this.polling;
			}
		}

		/** The id of Kontrol's watcher while one is subscribed, or {@code null}. */
		public @Nullable String watcherId() {
			synchronized (this.lock) {
				return this.watcherId;
			}
		}

		void start() {
			KiteConnection connection = KiteDiscovery.this.kontrol.connection();
			connection.onDisconnect(() -> {
				synchronized (this.lock) {
					if (this.watcherId != null) {
						this.watcherId = null; // Kontrol drops watchers with the
												// connection
						this.lostWatcher = true;
					}
				}
			});
			connection.onConnect(() -> {
				boolean again;
				synchronized (this.lock) {
					again = this.lostWatcher && !this.closed;
					this.lostWatcher = false;
				}
				if (again) {
					subscribe();
				}
			});
			subscribe();
		}

		private void subscribe() {
			long current;
			synchronized (this.lock) {
				if (this.closed) {
					return;
				}
				current = ++this.generation;
				this.buffered = new ArrayList<>();
			}
			KiteCallback callback = (arguments) -> onWatchEvent(current, arguments);
			kontrol().call("getKites")
				.args(new WatchingGetKitesArgs(this.query, callback, null))
				.retrieve()
				.whenComplete((answer, failure) -> subscribed(current, answer, failure));
		}

		private void subscribed(long subscription, @Nullable JsonNode answer, @Nullable Throwable failure) {
			if (failure != null || answer == null) {
				Throwable cause = (failure != null) ? Failures.unwrap(failure) : null;
				logger.warn("Cannot watch {} on Kontrol ({}); trying again in {}", this.query.toPath(),
						LogSafe.of(String.valueOf(cause)), KiteDiscovery.this.pollInterval);
				synchronized (this.lock) {
					if (this.generation == subscription && !this.closed) {
						this.buffered = null;
						scheduleNext(this::subscribe);
					}
				}
				return;
			}
			List<KiteWithToken> kites = readKites(answer);
			JsonNode id = answer.get("watcherID");
			String newWatcher = (id != null && id.isString() && !id.stringValue().isEmpty()) ? id.stringValue() : null;
			boolean stale;
			synchronized (this.deliveryLock) {
				List<KiteEvent> events;
				synchronized (this.lock) {
					stale = this.generation != subscription || this.closed;
					if (!stale) {
						events = diff(kites);
						List<KiteEvent> early = this.buffered;
						this.buffered = null;
						if (early != null) {
							for (KiteEvent event : early) {
								apply(event, events);
							}
						}
						this.watcherId = newWatcher;
						if (newWatcher == null) {
							if (!this.polling) {
								logger.info("Kontrol at {} does not watch; polling {} every {}",
										KiteDiscovery.this.kontrol.url(), this.query.toPath(),
										KiteDiscovery.this.pollInterval);
							}
							this.polling = true;
							scheduleNext(this::poll);
						}
					}
					else {
						events = List.of();
					}
				}
				deliver(events);
			}
			if (stale && newWatcher != null) {
				cancelWatcher(newWatcher); // closed or superseded while subscribing
			}
		}

		private void onWatchEvent(long subscription, JsonNode... arguments) {
			KiteEvent event;
			try {
				JsonNode result = (arguments.length > 0) ? arguments[0].get("result") : null;
				if (result == null || result.isNull()) {
					logger.debug("Kontrol's watcher for {} sent no event: {}", this.query.toPath(),
							LogSafe.of(java.util.Arrays.toString(arguments)));
					return;
				}
				event = KiteDiscovery.this.factory.objectMapper().treeToValue(result, KiteEvent.class);
			}
			catch (RuntimeException ex) {
				logger.warn("Cannot read an event of Kontrol's watcher for {}: {}", this.query.toPath(),
						LogSafe.of(String.valueOf(ex.getMessage())));
				return;
			}
			synchronized (this.deliveryLock) {
				List<KiteEvent> events = new ArrayList<>(1);
				synchronized (this.lock) {
					if (this.generation != subscription || this.closed) {
						return;
					}
					if (this.buffered != null) {
						this.buffered.add(event); // before the lookup's answer: applied
													// after
													// it
						return;
					}
					apply(event, events);
				}
				deliver(events);
			}
		}

		private void poll() {
			long current;
			synchronized (this.lock) {
				if (this.closed) {
					return;
				}
				current = this.generation;
			}
			kontrol().getKites(this.query).whenComplete((kites, failure) -> {
				synchronized (this.deliveryLock) {
					List<KiteEvent> events = List.of();
					synchronized (this.lock) {
						if (this.closed || this.generation != current) {
							return;
						}
						if (failure != null) {
							logger.debug("Polling {} failed: {}", this.query.toPath(),
									LogSafe.of(String.valueOf(Failures.unwrap(failure))));
						}
						else {
							events = diff(kites);
						}
						scheduleNext(this::poll);
					}
					deliver(events);
				}
			});
		}

		/**
		 * Must hold the lock. Brings {@code known} to {@code kites}, returning the
		 * changes.
		 */
		private List<KiteEvent> diff(List<KiteWithToken> kites) {
			Map<String, KiteWithToken> now = new HashMap<>();
			for (KiteWithToken kite : kites) {
				now.put(kite.kite().id(), kite);
			}
			List<KiteEvent> events = new ArrayList<>();
			for (KiteWithToken gone : List.copyOf(this.known.values())) {
				if (!now.containsKey(gone.kite().id())) {
					this.known.remove(gone.kite().id());
					events.add(new KiteEvent(KiteEvent.DEREGISTER, gone.kite(), gone.url(), ""));
				}
			}
			for (KiteWithToken kite : kites) {
				if (this.known.putIfAbsent(kite.kite().id(), kite) == null) {
					events.add(new KiteEvent(KiteEvent.REGISTER, kite.kite(), kite.url(), kite.token()));
				}
			}
			return events;
		}

		/** Must hold the lock. Applies one watcher event unless the listener knows it. */
		private void apply(KiteEvent event, List<KiteEvent> events) {
			String id = event.kite().id();
			if (KiteEvent.REGISTER.equals(event.action())) {
				KiteWithToken previous = this.known.put(id,
						new KiteWithToken(event.kite(), event.url(), "", event.token()));
				if (previous == null || !previous.url().equals(event.url())) {
					events.add(event);
				}
			}
			else if (KiteEvent.DEREGISTER.equals(event.action())) {
				if (this.known.remove(id) != null) {
					events.add(event);
				}
			}
		}

		/** Must hold the delivery lock (and not the state lock). */
		private void deliver(List<KiteEvent> events) {
			for (KiteEvent event : events) {
				try {
					this.listener.accept(event);
				}
				catch (RuntimeException ex) {
					logger.warn("A watch listener for {} failed", this.query.toPath(), ex);
				}
			}
		}

		/** Must hold the lock. */
		private void scheduleNext(Runnable task) {
			if (this.timer != null) {
				this.timer.cancel(false);
			}
			try {
				this.timer = KiteDiscovery.this.scheduler.schedule(task,
						KiteDiscovery.this.scheduler.getClock().instant().plus(KiteDiscovery.this.pollInterval));
			}
			catch (RejectedExecutionException ex) {
				logger.debug("Not watching {} further: the scheduler is stopping", this.query.toPath());
			}
		}

		private List<KiteWithToken> readKites(JsonNode answer) {
			ObjectMapper mapper = KiteDiscovery.this.factory.objectMapper();
			JsonNode kites = answer.get("kites");
			List<KiteWithToken> result = new ArrayList<>();
			if (kites != null && kites.isArray()) {
				for (JsonNode kite : kites) {
					result.add(mapper.treeToValue(kite, KiteWithToken.class));
				}
			}
			return result;
		}

		private void cancelWatcher(String id) {
			KiteDiscovery.this.kontrol.call("cancelWatcher").args(id).retrieve().whenComplete((ignored, failure) -> {
				if (failure != null) {
					logger.debug("Cancelling Kontrol's watcher {} failed: {}", LogSafe.of(id),
							LogSafe.of(String.valueOf(Failures.unwrap(failure))));
				}
			});
		}

		/** Stops the watch: cancels Kontrol's watcher or the polling. Idempotent. */
		@Override
		public void close() {
			String id;
			synchronized (this.lock) {
				if (this.closed) {
					return;
				}
				this.closed = true;
				id = this.watcherId;
				this.watcherId = null;
				if (this.timer != null) {
					this.timer.cancel(false);
					this.timer = null;
				}
			}
			if (id != null && KiteDiscovery.this.kontrol.connection().isConnected()) {
				cancelWatcher(id);
			}
		}

	}

	/**
	 * {@code getKites} arguments with a function in {@code watchCallback} (PROTOCOL §6.2,
	 * §6.13); {@code who} is sent as {@code null}, as Go does.
	 */
	@JsonPropertyOrder({ "query", "watchCallback", "who" })
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record WatchingGetKitesArgs(@JsonProperty("query") KontrolQuery query,
			@JsonProperty("watchCallback") KiteCallback watchCallback, @JsonProperty("who") @Nullable JsonNode who) {
	}

}
