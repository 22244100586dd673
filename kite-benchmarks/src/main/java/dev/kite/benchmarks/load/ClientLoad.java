package dev.kite.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.kite.benchmarks.kontrol.ClosedLoop;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.client.Transport;
import dev.kite.protocol.Auth;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Our client against a target: {@code C} {@link KiteConnection}s with {@code N} calls in
 * flight each ({@code connection.method(m).args(…).retrieve()}), in the same
 * {@link ClosedLoop} as the Kontrol benchmark. Unlike the lean generator it stops at the
 * first failed call (which is then the run's one error).
 *
 * <p>
 * Threads: {@link #run} blocks its caller; calls complete on the client factory's
 * threads.
 */
public final class ClientLoad {

	private final LoadOptions options;

	private final LongSupplier serverCpuNanos;

	/**
	 * @param options what to run
	 * @param serverCpuNanos the server's CPU time so far, or -1
	 */
	public ClientLoad(LoadOptions options, LongSupplier serverCpuNanos) {
		this.options = options;
		this.serverCpuNanos = serverCpuNanos;
	}

	/**
	 * Runs the load.
	 * @return what it measured
	 * @throws Exception when a connection cannot be opened
	 */
	public LoadResult run() throws Exception {
		LoadOptions options = this.options;
		JsonNode args = JsonMapper.builder().build().readTree(options.args());
		Object[] arguments = new Object[args.size()];
		for (int i = 0; i < arguments.length; i++) {
			arguments[i] = args.get(i);
		}
		Auth auth = (options.authType() != null && options.authKey() != null)
				? new Auth(options.authType(), options.authKey()) : null;
		Transport transport = switch (options.transport()) {
			case "websocket" -> Transport.RAW_WEBSOCKET;
			case "xhr" -> Transport.XHR_POLLING;
			default -> Transport.WEBSOCKET;
		};
		try (KiteClientFactory factory = KiteClientFactory.builder().build()) {
			List<KiteConnection> connections = new ArrayList<>();
			try {
				List<Supplier<CompletableFuture<?>>> slots = new ArrayList<>();
				for (int i = 0; i < options.connections(); i++) {
					KiteConnection connection = factory.create(KiteClientOptions.builder(options.url())
						.transport(transport)
						.auth(auth)
						.timeout(options.timeout())
						.connectTimeout(options.timeout())
						.reconnect(false)
						.build());
					connections.add(connection);
					connection.connect().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
					for (int slot = 0; slot < options.inFlight(); slot++) {
						slots.add(() -> connection.method(options.method()).args(arguments).retrieve());
					}
				}
				long[] cpu = new long[4];
				ClosedLoop loop = new ClosedLoop(slots, options.warmup(), options.duration(), options.calls(),
						options.timeout().plusSeconds(5));
				ClosedLoop.LoopResult result = loop.run(() -> {
					cpu[0] = LoadGenerator.processCpuNanos();
					cpu[1] = this.serverCpuNanos.getAsLong();
				}, () -> {
					cpu[2] = LoadGenerator.processCpuNanos();
					cpu[3] = this.serverCpuNanos.getAsLong();
				});
				long serverCpu = (cpu[1] >= 0 && cpu[3] >= 0) ? cpu[3] - cpu[1] : -1;
				return new LoadResult(result.latencies(), result.elapsedNanos(), (result.failure() != null) ? 1 : 0,
						cpu[2] - cpu[0], serverCpu,
						(result.failure() != null) ? "a call failed: " + result.failure() : null);
			}
			finally {
				connections.forEach(KiteConnection::close);
			}
		}
	}

}
