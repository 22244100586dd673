package dev.kite.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The application's named kite clients: one {@link KiteConnection} per configured name (for example
 * {@code kite.clients.math.url}), created and connected on first use and closed with this registry.
 *
 * <p>Thread safety: {@link #client(String)} may be called from any thread; each name is created and
 * connected at most once (concurrent first callers wait for the same connection).
 */
public final class KiteClients implements AutoCloseable {

	private final KiteClientFactory factory;

	private final Map<String, KiteClientOptions> options;

	private final Map<String, KiteConnection> clients = new ConcurrentHashMap<>();

	private volatile boolean closed;

	/**
	 * @param factory creates the clients
	 * @param options the options of each named client
	 */
	public KiteClients(KiteClientFactory factory, Map<String, KiteClientOptions> options) {
		this.factory = factory;
		this.options = Map.copyOf(new LinkedHashMap<>(options));
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
					+ name + ".url (configured: " + this.options.keySet() + ")");
		}
	}

	/**
	 * The named client, connected. The first call dials (with the client's reconnect policy, a
	 * failed first dial keeps retrying in the background and calls fail with {@code sendError} until
	 * it succeeds).
	 * @param name the client name
	 * @return the client
	 */
	public KiteConnection client(String name) {
		if (this.closed) {
			throw new IllegalStateException("The kite clients are closed");
		}
		requireConfigured(name);
		return this.clients.computeIfAbsent(name, (key) -> {
			KiteConnection client = this.factory.create(this.options.get(key));
			try {
				client.connect().join();
			}
			catch (CompletionException ex) {
				if (!this.options.get(key).reconnect().enabled()) {
					client.close();
					throw ex;
				}
			}
			return client;
		});
	}

	/**
	 * A registry with each named client's options adjusted (e.g. by customizers).
	 * @param customizer adjusts one client's options
	 * @return a new registry sharing the factory
	 */
	public KiteClients withOptions(UnaryOperator<KiteClientOptions> customizer) {
		Map<String, KiteClientOptions> adjusted = new LinkedHashMap<>();
		this.options.forEach((name, value) -> adjusted.put(name, customizer.apply(value)));
		return new KiteClients(this.factory, adjusted);
	}

	/** Closes every client created so far. */
	@Override
	public void close() {
		this.closed = true;
		this.clients.values().forEach(KiteConnection::close);
		this.clients.clear();
	}

}
