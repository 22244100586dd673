package dev.kite.kontrol;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.auth.KiteAuthoritiesConverter;
import dev.kite.auth.jwt.GoJwt;
import dev.kite.auth.provider.KiteKeyAuthenticationProvider;
import dev.kite.auth.provider.TokenAuthenticationProvider;
import dev.kite.auth.trust.KontrolKeyTrust;
import dev.kite.auth.trust.KontrolTrust;
import dev.kite.dnode.DnodeModule;
import dev.kite.dnode.DnodeTrees;
import dev.kite.dnode.RemoteCallback;
import dev.kite.kontrol.query.KiteQueries;
import dev.kite.kontrol.store.KeyPairStore;
import dev.kite.kontrol.store.KiteRecord;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.kontrol.store.KontrolKeyPair;
import dev.kite.protocol.Auth;
import dev.kite.protocol.GetKitesResult;
import dev.kite.protocol.GetTokenArgs;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.KiteWithToken;
import dev.kite.protocol.KontrolQuery;
import dev.kite.protocol.LogSafe;
import dev.kite.protocol.RegisterResult;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteInvocation;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteServerLimits;
import dev.kite.rpc.builtin.BuiltinKiteMethods;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Kontrol service (PROTOCOL §6): the kite registry and token service, wire compatible
 * with the Go Kontrol. {@link #registerMethods} adds {@code register}, {@code getKites},
 * {@code getToken}, {@code getKey}, {@code registerMachine} and {@code cancelWatcher} to
 * a {@link KiteMethodRegistry} (Kontrol's built-ins come from
 * {@code BuiltinKiteMethods.registerAll}, the caller's job);
 * {@link #authenticationProviders()} verifies the kite keys and tokens Kontrol's callers
 * present; {@link #httpEndpoints()} serves the HTTP register and heartbeat.
 *
 * <p>
 * Kontrol's errors are Go's: {@code genericError} with Go's messages ({@code empty url},
 * {@code no kites found}, …).
 *
 * <p>
 * Thread safety: every method may be called from any thread. Handlers run on the
 * dispatcher's threads; heartbeat watchdogs, refreshes, the expiry cleaner and watcher
 * deliveries run on the settings' scheduler. {@link #start()} and {@link #close()} are
 * synchronized.
 */
public final class Kontrol implements AutoCloseable {

	/** Go's message when a query matches several kites in {@code getToken}. */
	public static final String MORE_THAN_ONE = "query matches more than one kite";

	/** Go's message when a query matches no kite in {@code getToken}. */
	public static final String NO_KITES_FOUND = "no kites found";

	/** How often Kontrol refreshes its own registration (Go: 30 s). */
	public static final long SELF_REGISTRATION_SECONDS = 30;

	private static final Logger logger = LoggerFactory.getLogger(Kontrol.class);

	private static final ObjectMapper defaultMapper = DnodeModule.newMapper();

	private final KontrolSettings settings;

	private final KiteStore store;

	private final KontrolTokens tokens;

	private final KontrolKeyPairs keyPairs;

	private final @Nullable MachineAuthenticator machineAuthenticator;

	private final HeartbeatRegistrations registrations;

	private final KiteWatchers watchers;

	private final KiteKeyAuthenticationProvider kiteKeyProvider;

	private final TokenAuthenticationProvider tokenProvider;

	private final KontrolHttpEndpoints httpEndpoints;

	private @Nullable ScheduledFuture<?> cleaner;

	private @Nullable ScheduledFuture<?> selfRegistration;

	/**
	 * A Kontrol that refuses {@code registerMachine}.
	 * @param settings the settings
	 * @param store the registry
	 * @param keyPairStore the key pairs
	 * @param selfKeyPair Kontrol's own pair (re-keying, machine keys); stored unless its
	 * public key is stored already
	 */
	public Kontrol(KontrolSettings settings, KiteStore store, KeyPairStore keyPairStore, KontrolKeyPair selfKeyPair) {
		this(settings, store, keyPairStore, selfKeyPair, null);
	}

	/**
	 * @param settings the settings
	 * @param store the registry
	 * @param keyPairStore the key pairs
	 * @param selfKeyPair Kontrol's own pair (re-keying, machine keys); stored unless its
	 * public key is stored already
	 * @param machineAuthenticator decides who gets kite keys through
	 * {@code registerMachine}; {@code null} refuses everyone
	 */
	public Kontrol(KontrolSettings settings, KiteStore store, KeyPairStore keyPairStore, KontrolKeyPair selfKeyPair,
			@Nullable MachineAuthenticator machineAuthenticator) {
		this.settings = settings;
		this.store = store;
		this.machineAuthenticator = machineAuthenticator;
		this.tokens = new KontrolTokens(settings.kite().username(), settings.tokenTtl(), settings.tokenLeeway(),
				settings.clock());
		this.keyPairs = new KontrolKeyPairs(keyPairStore, selfKeyPair, this.tokens);
		this.registrations = new HeartbeatRegistrations(store, settings);
		this.watchers = new KiteWatchers(store, settings.scheduler(), (query, requester, record) -> this.tokens
			.token(KiteQueries.audience(query), requester, this.keyPairs.forRecord(record.keyId()), false));
		this.kiteKeyProvider = new KiteKeyAuthenticationProvider(keyTrust(), KiteAuthoritiesConverter.byAuthType(),
				settings.clock(), KiteKeyAuthenticationProvider.DEFAULT_CACHE_SIZE);
		KontrolTrust trust = KontrolTrust.of(settings.kite().username(), List.of(this.keyPairs.self().publicKey()));
		this.tokenProvider = new TokenAuthenticationProvider(settings::kite, () -> trust,
				KiteAuthoritiesConverter.byAuthType(), settings.clock(),
				TokenAuthenticationProvider.DEFAULT_CACHE_SIZE);
		this.httpEndpoints = new KontrolHttpEndpoints(settings, store, this.keyPairs, this.kiteKeyProvider,
				defaultMapper);
	}

	/** The settings. */
	public KontrolSettings settings() {
		return this.settings;
	}

	/** Kontrol's own identity. */
	public Kite kite() {
		return this.settings.kite();
	}

	/** Kontrol's self key pair (as stored). */
	public KontrolKeyPair selfKeyPair() {
		return this.keyPairs.self();
	}

	/** The token and kite key minter. */
	public KontrolTokens tokens() {
		return this.tokens;
	}

	/** The HTTP register and heartbeat endpoints. */
	public KontrolHttpEndpoints httpEndpoints() {
		return this.httpEndpoints;
	}

	/**
	 * Kontrol's trust in the {@code kontrolKey} of a kite key: the key belongs to a
	 * stored pair, deleted ones included, so that old kites can re-register and be
	 * re-keyed (PROTOCOL §4.3).
	 */
	public KontrolKeyTrust keyTrust() {
		return this.keyPairs::isKnown;
	}

	/**
	 * The providers that verify Kontrol's callers: {@code kiteKey} (with
	 * {@link #keyTrust()}) and {@code token} (tokens Kontrol issued for itself, signed
	 * with the self pair, audience matching Kontrol's identity). Hand them to the
	 * dispatcher's {@code KiteAuthenticationManager}.
	 */
	public List<AuthenticationProvider> authenticationProviders() {
		return List.of(this.kiteKeyProvider, this.tokenProvider);
	}

	/**
	 * Issues a kite key for a user with the self pair (Go's {@code kontrol -initial}).
	 * @param username the owner
	 * @return the kite key JWT
	 */
	public String issueKiteKey(String username) {
		return this.tokens.kiteKey(username, this.keyPairs.self(), this.settings.kontrolUrl());
	}

	/**
	 * Registers Kontrol's methods.
	 * @param registry the registry the dispatcher serves
	 */
	public void registerMethods(KiteMethodRegistry registry) {
		registry.register(new KiteMethodDefinition("register", this::register, true, "kontrol"));
		registry.register(new KiteMethodDefinition("getKites", this::getKites, true, "kontrol"));
		registry.register(new KiteMethodDefinition("getToken", this::getToken, true, "kontrol"));
		registry.register(new KiteMethodDefinition("getKey", this::getKey, true, "kontrol"));
		registry.register(new KiteMethodDefinition("registerMachine", this::registerMachine, false, "kontrol"));
		registry.register(new KiteMethodDefinition("cancelWatcher", this::cancelWatcher, true, "kontrol"));
	}

	/**
	 * A registry for Kontrol's endpoint: Kontrol's methods and the built-ins
	 * ({@code kite.ping}, {@code kite.heartbeat}, … on Kontrol's scheduler), so a kite
	 * can keep its Kontrol connection alive.
	 * @return a new registry
	 */
	public KiteMethodRegistry newMethodRegistry() {
		KiteMethodRegistry registry = new KiteMethodRegistry();
		registerMethods(registry);
		BuiltinKiteMethods.registerAll(registry, this.settings.scheduler());
		return registry;
	}

	/**
	 * A dispatcher for Kontrol's endpoint: authentication always on, callers verified by
	 * {@link #authenticationProviders()}, and no interceptors or application exception
	 * resolvers: Kontrol's errors are Go's.
	 * @param registry the methods to serve, usually {@link #newMethodRegistry()}
	 * @param executor runs the methods
	 * @return a new dispatcher
	 */
	public KiteDispatcher newDispatcher(KiteMethodRegistry registry, Executor executor) {
		return newDispatcher(registry, executor, KiteServerLimits.defaults());
	}

	/**
	 * A dispatcher for Kontrol's endpoint, as
	 * {@link #newDispatcher(KiteMethodRegistry, Executor)}, with per-connection limits
	 * (calls in flight, callbacks, warnings per minute) such as the application's
	 * {@code kite.server.limits.*}; its warning budget runs on Kontrol's clock.
	 * @param registry the methods to serve, usually {@link #newMethodRegistry()}
	 * @param executor runs the methods
	 * @param limits the limits per connection
	 * @return a new dispatcher
	 */
	public KiteDispatcher newDispatcher(KiteMethodRegistry registry, Executor executor, KiteServerLimits limits) {
		return new KiteDispatcher(registry, new KiteAuthenticationManager(authenticationProviders()), List.of(),
				List.of(), executor, true, limits, this.settings.clock(), ObservationRegistry.NOOP, null);
	}

	/**
	 * Starts the expiry cleaner (every cleanup interval it deletes the records not
	 * refreshed within the record TTL) and, when Kontrol knows its own URL, registers
	 * Kontrol itself and refreshes that record every {@value #SELF_REGISTRATION_SECONDS}
	 * s, as the Go Kontrol does, so {@code getKites} finds Kontrol too. Idempotent.
	 */
	public synchronized void start() {
		if (this.cleaner != null) {
			return;
		}
		Instant now = this.settings.clock().instant();
		this.cleaner = this.settings.scheduler()
			.scheduleAtFixedRate(this::deleteExpired, now.plus(this.settings.cleanupInterval()),
					this.settings.cleanupInterval());
		if (!this.settings.kontrolUrl().isEmpty()) {
			registerSelf();
			Duration interval = Duration.ofSeconds(SELF_REGISTRATION_SECONDS);
			this.selfRegistration = this.settings.scheduler()
				.scheduleAtFixedRate(this::registerSelf, now.plus(interval), interval);
		}
	}

	private void registerSelf() {
		try {
			this.store.upsert(this.settings.kite(), this.settings.kontrolUrl(), this.keyPairs.self().id(),
					this.settings.clock().instant());
		}
		catch (RuntimeException ex) {
			// The next round tries again; a store that is down must not stop the
			// schedule.
			logger.warn("Could not register Kontrol itself: {}", ex.toString());
		}
	}

	/**
	 * Stops the cleaner, every heartbeat watchdog and refresher, and every watcher.
	 * Records are left to expire. Idempotent.
	 */
	@Override
	public synchronized void close() {
		if (this.cleaner != null) {
			this.cleaner.cancel(false);
			this.cleaner = null;
		}
		if (this.selfRegistration != null) {
			this.selfRegistration.cancel(false);
			this.selfRegistration = null;
		}
		this.registrations.stopAll();
		this.httpEndpoints.stopAll();
		this.watchers.cancelAll();
	}

	/** Whether a kite registered over dnode is being kept alive by its heartbeats. */
	public boolean isHeartbeatActive(String kiteId) {
		return this.registrations.isActive(kiteId);
	}

	/** How many watchers are active. */
	public int watcherCount() {
		return this.watchers.count();
	}

	private void deleteExpired() {
		try {
			int deleted = this.store.deleteExpired(this.settings.clock().instant().minus(this.settings.recordTtl()));
			if (deleted > 0) {
				logger.debug("Deleted {} expired kite records", deleted);
			}
		}
		catch (RuntimeException ex) {
			// Keep the schedule: the next run tries again.
			logger.warn("Deleting expired kite records failed", ex);
		}
	}

	// register [{"url":…}] (PROTOCOL §6.3)
	private Object register(KiteInvocation invocation) {
		KiteAuthenticationToken auth = requireKiteKey(invocation);
		JsonNode args = invocation.argument(0);
		JsonNode urlNode = (args != null) ? args.get("url") : null;
		String url = (urlNode != null && urlNode.isString()) ? urlNode.stringValue() : "";
		if (url.isEmpty()) {
			throw genericError("empty url");
		}
		String urlError = urlError(url);
		if (urlError != null) {
			throw genericError(urlError);
		}
		KontrolKeyPairs.Resolution resolution = this.keyPairs.forKiteKey(GoJwt.parse((String) auth.getCredentials()));
		Kite kite = invocation.request().caller();
		validate(kite);
		try {
			this.store.upsert(kite, url, resolution.pair().id(), this.settings.clock().instant());
		}
		catch (RuntimeException ex) {
			logger.error("storage add '{}' error", LogSafe.of(kite.toString()), ex);
			throw genericError("internal error - register");
		}
		// The heartbeat request goes out before the register response, as in Go.
		this.registrations.register(invocation.session(), kite, url, resolution.pair().id());
		logger.info("Kite registered: {}", LogSafe.of(kite.toString()));
		return new RegisterResult(url, 0, "", resolution.publicKey(), resolution.kiteKey());
	}

	// getKites [{"query":…,"watchCallback":fn?}] (PROTOCOL §6.4, §6.13)
	private Object getKites(KiteInvocation invocation) {
		JsonNode args = requireObjectArgument(invocation);
		JsonNode queryNode = args.get("query");
		if (queryNode == null || queryNode.isNull()) {
			// Go dereferences the missing query and its panic handler answers this.
			throw genericError("runtime error: invalid memory address or nil pointer dereference");
		}
		KontrolQuery query = read(invocation, queryNode, KontrolQuery.class);
		String requester = invocation.request().username();
		RemoteCallback watchCallback = DnodeTrees.callbackAt(args.get("watchCallback"));
		// A watcher subscribes before the lookup, so no change after it is missed.
		String watcherId = (watchCallback != null)
				? this.watchers.watch(invocation.session(), query, watchCallback, requester) : null;
		List<KiteRecord> records;
		try {
			records = lookUp(query);
		}
		catch (KiteException ex) {
			if (watcherId != null) {
				this.watchers.cancel(invocation.session(), watcherId);
			}
			throw ex;
		}
		List<KiteWithToken> kites = new ArrayList<>();
		for (KiteRecord record : records) {
			KontrolKeyPair pair = this.keyPairs.forRecord(record.keyId());
			String token = this.tokens.token(KiteQueries.audience(query), requester, pair, false);
			kites.add(new KiteWithToken(record.kite(), record.url(), record.keyId(), token));
		}
		Collections.shuffle(kites);
		return (watcherId != null) ? new GetKitesWatchResult(kites, watcherId) : new GetKitesResult(kites);
	}

	// getToken [GetTokenArgs] (PROTOCOL §6.5)
	private Object getToken(KiteInvocation invocation) {
		JsonNode node = requireObjectArgument(invocation);
		// GetTokenArgs unwraps the query; binding a tree to it is not reliable with
		// Jackson 3, so the query and force are read separately.
		JsonNode forceNode = node.get("force");
		GetTokenArgs args = new GetTokenArgs(read(invocation, node, KontrolQuery.class),
				forceNode != null && forceNode.asBoolean(false));
		List<KiteRecord> records = lookUp(args.query());
		if (records.size() > 1) {
			throw genericError(MORE_THAN_ONE);
		}
		if (records.isEmpty()) {
			throw genericError(NO_KITES_FOUND);
		}
		KontrolKeyPair pair = this.keyPairs.forRecord(records.get(0).keyId());
		return this.tokens.token(KiteQueries.audience(args.query()), invocation.request().username(), pair,
				args.force());
	}

	// getKey (PROTOCOL §6.6)
	private Object getKey(KiteInvocation invocation) {
		KiteAuthenticationToken auth = requireKiteKey(invocation);
		String publicKey = GoJwt.parse((String) auth.getCredentials()).kontrolKey;
		if (publicKey.isEmpty()) {
			throw genericError("public key is not passed");
		}
		return this.keyPairs.forPublicKey(publicKey).publicKey();
	}

	// registerMachine [{"authType":…}] (PROTOCOL §6.7)
	private Object registerMachine(KiteInvocation invocation) {
		JsonNode args = requireObjectArgument(invocation);
		String authType = "";
		for (Map.Entry<String, JsonNode> field : args.properties()) {
			if (field.getKey().equalsIgnoreCase("authType") && field.getValue().isString()) {
				authType = field.getValue().stringValue(); // Go matches keys
															// case-insensitively
			}
		}
		if (this.machineAuthenticator == null) {
			throw KontrolKeyPairs.noValidKey();
		}
		Optional<String> username = this.machineAuthenticator.authenticate(authType, invocation);
		if (username.isEmpty() || username.get().isEmpty()) {
			throw genericError("cannot authenticate user");
		}
		return this.tokens.kiteKey(username.get(), this.keyPairs.self(), this.settings.kontrolUrl());
	}

	// cancelWatcher [watcherID] (PROTOCOL §6.13)
	private @Nullable Object cancelWatcher(KiteInvocation invocation) {
		JsonNode id = invocation.argument(0);
		if (id == null || !id.isString()) {
			throw new KiteException(KiteErrorTypes.ARGUMENT_ERROR, "Argument 0 of cancelWatcher must be a string");
		}
		if (!this.watchers.cancel(invocation.session(), id.stringValue())) {
			throw genericError("Watcher not found");
		}
		return null;
	}

	private List<KiteRecord> lookUp(KontrolQuery query) {
		try {
			return KiteQueries.find(this.store, query);
		}
		catch (IllegalArgumentException ex) {
			throw genericError(String.valueOf(ex.getMessage()));
		}
	}

	private static KiteAuthenticationToken requireKiteKey(KiteInvocation invocation) {
		Authentication authentication = invocation.authentication();
		if (!(authentication instanceof KiteAuthenticationToken token)) {
			throw new KiteException(KiteErrorTypes.AUTHENTICATION_ERROR, "No authentication information is provided");
		}
		if (!Auth.KITE_KEY.equals(token.getAuthType())) {
			throw genericError("Unexpected authentication type: " + token.getAuthType());
		}
		return token;
	}

	private static JsonNode requireObjectArgument(KiteInvocation invocation) {
		JsonNode args = invocation.argument(0);
		if (invocation.arguments().size() != 1 || args == null || !args.isObject()) {
			throw new KiteException(KiteErrorTypes.ARGUMENT_ERROR, "Invalid array length");
		}
		return args;
	}

	private static <T> T read(KiteInvocation invocation, JsonNode node, Class<T> type) {
		try {
			// Go's decoder ignores fields it does not know; so does this.
			T value = invocation.session()
				.connection()
				.mapper()
				.readerFor(type)
				.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
				.readValue(node);
			if (value == null) {
				throw new KiteException(KiteErrorTypes.ARGUMENT_ERROR, "Invalid argument: null");
			}
			return value;
		}
		catch (JacksonException ex) {
			throw new KiteException(KiteErrorTypes.ARGUMENT_ERROR, String.valueOf(ex.getOriginalMessage()));
		}
	}

	/**
	 * Go's check of a registration's identity (PROTOCOL §6.11): every field non-empty and
	 * free of {@code /}.
	 * @param kite the identity
	 * @throws KiteException ({@code genericError}) with Go's message
	 */
	static void validate(Kite kite) {
		String[] values = { kite.username(), kite.environment(), kite.name(), kite.version(), kite.region(),
				kite.hostname(), kite.id() };
		for (int i = 0; i < values.length; i++) {
			String field = Kite.FIELD_NAMES[i];
			if (values[i].isEmpty()) {
				throw genericError("Empty Kite field: " + field);
			}
			if (values[i].indexOf('/') >= 0) {
				throw genericError("Field \"" + field + "\" must not contain '/'");
			}
		}
	}

	/** Go's {@code url.Parse} failure for a register URL, or {@code null}. */
	static @Nullable String urlError(String url) {
		try {
			new URI(url);
			return null;
		}
		catch (URISyntaxException ex) {
			return "invalid register URL: " + ex.getMessage();
		}
	}

	private static KiteException genericError(String message) {
		return new KiteException(KiteErrorTypes.GENERIC_ERROR, message);
	}

}
