package dev.kite.benchmarks.kontrol;

import java.time.Duration;
import java.util.List;

import dev.kite.benchmarks.BenchmarkArguments;
import dev.kite.client.Transport;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code kontrol} benchmark measures and how.
 *
 * @param store {@code memory} or {@code postgres}
 * @param jdbcUrl an external PostgreSQL ({@code jdbc:postgresql://…}, credentials in the
 * URL), or {@code null} to start an embedded one
 * @param poolSize the JDBC pool's size (postgres only)
 * @param kites how many kites register, each over its own connection
 * @param connections how many registrations run at once, and how many connections call
 * {@code getKites}
 * @param inFlight how many {@code getKites} calls each of those connections keeps in
 * flight
 * @param warmup how long each {@code getKites} query runs before it is measured
 * @param duration how long each {@code getKites} query is measured
 * @param calls stop measuring a query after this many calls even if the duration has not
 * passed (0: no limit)
 * @param transport how the connections dial Kontrol
 * @param kiteMaxMessageSize the registering kites' largest incoming message (their
 * client's {@code KiteWebSocketLimits.maxMessageSize}); Tomcat's WebSocket client
 * allocates buffers of this size for every connection
 */
public record KontrolBenchmarkOptions(String store, @Nullable String jdbcUrl, int poolSize, int kites, int connections,
		int inFlight, Duration warmup, Duration duration, int calls, Transport transport, int kiteMaxMessageSize) {

	/** The stores the benchmark can run on. */
	public static final List<String> STORES = List.of("memory", "postgres");

	static final String USAGE = """
			  --store memory|postgres   the Kontrol store (default memory)
			  --jdbc-url URL            postgres: an external database instead of an embedded one
			  --pool-size N             postgres: JDBC pool size (default 10)
			  --kites N                 kites to register, one connection each (default 1000)
			  --connections C           concurrent registrations and getKites connections (default 8)
			  --in-flight N             getKites calls in flight per connection (default 4)
			  --warmup D                per getKites query, before measuring (default 5s)
			  --duration D              per getKites query, measured (default 10s)
			  --calls N                 stop a measurement after N calls (default 0: no limit)
			  --transport websocket|raw_websocket|xhr_polling  (default websocket: SockJS, as Go kites)
			  --kite-max-message-size B the registering kites' client message limit (default 65536)
			""";

	/**
	 * Reads the options of the {@code kontrol} command.
	 * @param arguments the command line
	 * @return the options
	 * @throws BenchmarkArguments.UsageException when an option is wrong or unknown
	 */
	public static KontrolBenchmarkOptions from(BenchmarkArguments arguments) {
		String store = arguments.choice("store", "memory", STORES);
		String jdbcUrl = arguments.optionalString("jdbc-url");
		if (jdbcUrl != null && !store.equals("postgres")) {
			throw new BenchmarkArguments.UsageException("Option --jdbc-url needs --store postgres");
		}
		int poolSize = arguments.integer("pool-size", 10, 1);
		int kites = arguments.integer("kites", 1000, 1);
		int connections = arguments.integer("connections", 8, 1);
		int inFlight = arguments.integer("in-flight", 4, 1);
		Duration warmup = arguments.duration("warmup", Duration.ofSeconds(5));
		Duration duration = arguments.duration("duration", Duration.ofSeconds(10));
		if (duration.isZero()) {
			throw new BenchmarkArguments.UsageException("Option --duration must be positive");
		}
		int calls = arguments.integer("calls", 0, 0);
		String transport = arguments.choice("transport", "websocket",
				List.of("websocket", "raw_websocket", "xhr_polling"));
		int kiteMaxMessageSize = arguments.integer("kite-max-message-size", 64 * 1024, 1024);
		arguments.requireAllRead();
		return new KontrolBenchmarkOptions(store, jdbcUrl, poolSize, kites, connections, inFlight, warmup, duration,
				calls, Transport.valueOf(transport.toUpperCase(java.util.Locale.ROOT)), kiteMaxMessageSize);
	}

}
