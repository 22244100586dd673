package dev.kite.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * The application's named kite clients: one {@link KiteConnection} per configured name
 * (for example {@code kite.clients.math.url}), created on first use and closed with this
 * registry.
 *
 * <p>
 * Nothing here waits for the network. {@link #client(String)} returns the connection at
 * once and starts a dial when it is neither connected nor dialing; a call made meanwhile
 * waits for that dial at most its own timeout (see {@link KiteConnection}). A kite that
 * is down therefore never blocks the startup, a caller, or {@link #close()}.
 *
 * <p>
 * Each name's options may be {@link #resolvedOnFirstUse resolved on first use}, e.g. so a
 * URL can name the application's own port, known only once its web server has started.
 *
 * <p>
 * Thread safety: every method may be called from any thread. Each name's connection is
 * created at most once (creating it does not dial, so the map's lock is held only
 * briefly); {@link #close()} closes those created so far, and a connection created
 * concurrently with it is closed too.
 */
public final class KiteClients implements AutoCloseable {

	private final KiteClientFactory factory;

	private final Map<String, Supplier<KiteClientOptions>> options;

	private final BiFunction<String, KiteClientOptions, KiteConnection> creator;

	private final Map<String, KiteConnection> clients = new ConcurrentHashMap<>();

	private volatile boolean closed;

	/**
	 * @param factory creates the clients
	 * @param options the options of each named client
	 */
	public KiteClients(KiteClientFactory factory, Map<String, KiteClientOptions> options) {
		this(factory, constant(options), null);
	}

	/** Takes ownership of the (insertion-ordered) map. */
	private KiteClients(KiteClientFactory factory, LinkedHashMap<String, Supplier<KiteClientOptions>> options,
			@Nullable BiFunction<String, KiteClientOptions, KiteConnection> creator) {
		this.factory = Objects.requireNonNull(factory, "factory");
		this.options = Collections.unmodifiableMap(options);
		this.creator = (creator != null) ? creator : (name, value) -> factory.create(value);
	}

	/**
	 * A registry whose clients' options are computed when each client is first used, not
	 * before.
	 * @param factory creates the clients
	 * @param options computes each named client's options; may throw to report a
	 * configuration error
	 * @return the registry
	 */
	public static KiteClients resolvedOnFirstUse(KiteClientFactory factory,
			Map<String, ? extends Supplier<KiteClientOptions>> options) {
		return new KiteClients(factory, new LinkedHashMap<>(options), null);
	}

	/**
	 * A registry whose clients' options are computed when each client is first used, and
	 * whose clients are created by a function of their own, e.g. one that connects some
	 * names through Kontrol discovery rather than a fixed URL.
	 * @param factory the factory the default clients come from
	 * @param options computes each named client's options
	 * @param creator creates a named client from its options (called once per name, on
	 * first use); it must not wait for the network
	 * @return the registry
	 */
	public static KiteClients resolvedOnFirstUse(KiteClientFactory factory,
			Map<String, ? extends Supplier<KiteClientOptions>> options,
			BiFunction<String, KiteClientOptions, KiteConnection> creator) {
		return new KiteClients(factory, new LinkedHashMap<>(options), Objects.requireNonNull(creator, "creator"));
	}

	private static LinkedHashMap<String, Supplier<KiteClientOptions>> constant(Map<String, KiteClientOptions> options) {
		LinkedHashMap<String, Supplier<KiteClientOptions>> constant = new LinkedHashMap<>();
		options.forEach((name, value) -> {
			Objects.requireNonNull(value, name);
			constant.put(name, () -> value);
		});
		return constant;
	}

	/** The configured names. */
	public Set<String> names() {
		return this.options.keySet();
	}

	/**
	 * Fails unless a client of that name is configured.
	 * @param name a client name
	 * @throws IllegalStateException naming the property to set
	 */
	public void requireConfigured(String name) {
		if (!this.options.containsKey(name)) {
			throw new IllegalStateException("No kite client named '" + name + "' is configured: set kite.clients."
					+ name + ".url or .query (configured: " + this.options.keySet() + ")");
		}
	}

	/**
	 * The named client, at once: created on first use, and dialing (in the background)
	 * whenever it is neither connected nor dialing already. Calls made before the dial
	 * succeeds wait for it at most their timeout.
	 * @param name the client name
	 * @return the client
	 * @throws IllegalStateException if the name is not configured or the registry is
	 * closed
	 */
	public KiteConnection client(String name) {
		requireOpen();
		requireConfigured(name);
		KiteConnection client = this.clients.computeIfAbsent(name, (key) -> this.creator.apply(key, resolve(key)));
		if (this.closed) {
			client.close(); // close() may have missed it
			requireOpen();
		}
		if (!client.isConnected()) {
			client.connect(); // joins the dial in progress, if any; the outcome reaches
								// the calls
		}
		return client;
	}

	/**
	 * The client of a name if it was created (by {@link #client(String)}), without
	 * creating or dialing it: for reports such as the {@code kites} Actuator endpoint.
	 * @param name the configured name
	 * @return the client, or {@code null} when not created yet (or closed with the rest)
	 */
	public @Nullable KiteConnection existing(String name) {
		return this.clients.get(name);
	}

	private KiteClientOptions resolve(String name) {
		Supplier<KiteClientOptions> supplier = this.options.get(name);
		KiteClientOptions resolved = (supplier != null) ? supplier.get() : null;
		if (resolved == null) {
			throw new IllegalStateException("No options for kite client '" + name + "'");
		}
		return resolved;
	}

	private void requireOpen() {
		if (this.closed) {
			throw new IllegalStateException("The kite clients are closed");
		}
	}

	/**
	 * A registry with each named client's options adjusted (e.g. by customizers), still
	 * computed on first use if they were.
	 * @param customizer adjusts one client's options
	 * @return a new registry sharing the factory
	 */
	public KiteClients withOptions(UnaryOperator<KiteClientOptions> customizer) {
		LinkedHashMap<String, Supplier<KiteClientOptions>> adjusted = new LinkedHashMap<>();
		this.options.forEach((name, value) -> adjusted.put(name, () -> customizer.apply(value.get())));
		return new KiteClients(this.factory, adjusted, this.creator);
	}

	/** Closes every client created so far; never waits for the network. */
	@Override
	public void close() {
		this.closed = true;
		this.clients.values().forEach(KiteConnection::close);
		this.clients.clear();
	}

}
