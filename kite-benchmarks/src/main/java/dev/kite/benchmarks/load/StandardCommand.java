package dev.kite.benchmarks.load;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import dev.kite.benchmarks.BenchmarkArguments;
import dev.kite.benchmarks.BenchmarkArguments.UsageException;
import dev.kite.benchmarks.BenchmarkCommand;
import org.jspecify.annotations.Nullable;

/**
 * {@code standard}: the standard set in one command. Builds nothing; starts each target
 * as a child process (the sample app's jar, the ceiling, kite.js in Node), runs the lean
 * generator against it in this process (so generator and server CPU are measured apart),
 * our own client against the sample app, and the heap per idle connection, and prints one
 * Markdown table and one line per figure.
 */
public final class StandardCommand implements BenchmarkCommand {

	static final String SAMPLE_JAR = "sample-app/target/sample-app.jar";

	static final String KITEJS_SCRIPT = "kite-benchmarks/src/main/js/kite-server.js";

	/** The XHR run's warm-up, in multiples of the others'. */
	private static final int XHR_WARMUP_FACTOR = 3;

	/**
	 * The opt-in settings (README "Many connections") under which the idle heap is
	 * measured a second time.
	 */
	private static final List<String> SMALL_BUFFERS = List.of("--kite.server.websocket-message-buffer-size=1KB",
			"--kite.server.tomcat-socket-buffer-size=2KB");

	private static final List<String> TARGETS = List.of("sample", "ceiling", "kitejs", "client", "idle");

	@Override
	public String name() {
		return "standard";
	}

	@Override
	public String summary() {
		return "the standard set against every target: one Markdown table";
	}

	@Override
	public String usage() {
		return """
				  --warmup 5s --duration 10s   per run
				  --idle 5000          idle connections for the heap per connection (0: skip)
				  --only sample,ceiling,kitejs,client,idle   which parts to run (all)
				  --sample-jar sample-app/target/sample-app.jar
				  --kitejs-script kite-benchmarks/src/main/js/kite-server.js
				""";
	}

	@Override
	public int run(BenchmarkArguments arguments, PrintStream out) throws Exception {
		Duration warmup = arguments.duration("warmup", Duration.ofSeconds(5));
		Duration duration = arguments.duration("duration", Duration.ofSeconds(10));
		int idle = arguments.integer("idle", 5000, 0);
		Set<String> only = Set.of(arguments.string("only", String.join(",", TARGETS)).split(","));
		if (!TARGETS.containsAll(only)) {
			throw new UsageException("Option --only takes some of " + TARGETS + " but was " + only);
		}
		Path sampleJar = Path.of(arguments.string("sample-jar", SAMPLE_JAR));
		Path script = Path.of(arguments.string("kitejs-script", KITEJS_SCRIPT));
		arguments.requireAllRead();
		out.println("## Standard set, " + Instant.now() + ", " + Runtime.getRuntime().availableProcessors()
				+ " cores, Java " + System.getProperty("java.version") + ", warm-up " + warmup.toMillis() + " ms (XHR: "
				+ warmup.multipliedBy(XHR_WARMUP_FACTOR).toMillis() + " ms), measured " + duration.toMillis()
				+ " ms per run");
		List<Row> rows = new ArrayList<>();
		String idleLine = null;
		if (only.contains("sample") || only.contains("client") || only.contains("idle")) {
			try (Target sample = Target.sample(sampleJar, "1g")) {
				if (only.contains("sample") || only.contains("client")) {
					// A fresh JVM: a first run, not reported, lets the JIT compile the
					// call
					// path before the 1x1 run measures it.
					load(sample, "sockjs", 4, 8, null, warmup, warmup);
				}
				if (only.contains("sample")) {
					rows.add(load(sample, "sockjs", 1, 1, null, warmup, duration));
					rows.add(load(sample, "sockjs", 4, 8, null, warmup, duration));
					rows.add(load(sample, "sockjs", 8, 16, null, warmup, duration));
					rows.add(load(sample, "websocket", 4, 8, null, warmup, duration));
					// XHR runs through Tomcat's HTTP and Spring MVC code, which the runs
					// before did not warm: the JIT needs longer there.
					rows.add(load(sample, "xhr", 4, 8, null, warmup.multipliedBy(XHR_WARMUP_FACTOR), duration));
					Credential kiteKey = new Credential("--kite-key", String.valueOf(sample.kiteKey()),
							"squareAuth with a kite key");
					rows.add(load(sample, "sockjs", 4, 8, kiteKey, warmup, duration));
					rows.add(load(sample, "websocket", 4, 8, kiteKey, warmup, duration));
					Credential token = new Credential("--token", sample.token(Duration.ofSeconds(30)),
							"squareAuth with a token");
					rows.add(load(sample, "sockjs", 4, 8, token, warmup, duration));
					rows.add(load(sample, "websocket", 4, 8, token, warmup, duration));
				}
				if (only.contains("client")) {
					rows.add(clientLoad(sample, "sockjs", 1, 1, warmup, duration));
					rows.add(clientLoad(sample, "sockjs", 4, 8, warmup, duration));
					rows.add(clientLoad(sample, "websocket", 4, 8, warmup, duration));
				}
				if (only.contains("idle") && idle > 0) {
					idleLine = idleHeap(sample, idle);
				}
			}
		}
		String smallBuffersIdleLine = null;
		if (only.contains("idle") && idle > 0) {
			try (Target sample = Target.sample(sampleJar, "1g", SMALL_BUFFERS)) {
				smallBuffersIdleLine = idleHeap(sample, idle) + " settings=" + String.join(",", SMALL_BUFFERS);
			}
		}
		if (only.contains("ceiling")) {
			try (Target ceiling = Target.ceiling("1g")) {
				rows.add(load(ceiling, "sockjs", 4, 8, null, warmup, duration));
				rows.add(load(ceiling, "sockjs", 8, 16, null, warmup, duration));
			}
		}
		if (only.contains("kitejs")) {
			try (Target kiteJs = Target.kiteJs(script)) {
				rows.add(load(kiteJs, "sockjs", 4, 8, null, warmup, duration));
			}
		}
		out.println();
		out.println(
				"| target | transport | C×N | calls/s | p50 µs | p99 µs | p99.9 µs | errors | generator CPU µs/call "
						+ "| server CPU µs/call |");
		out.println("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
		boolean failed = false;
		for (Row row : rows) {
			LoadResult result = row.result;
			out.printf(Locale.ROOT, "| %s | %s | %s | %.0f | %d | %d | %d | %d | %.1f | %.1f |%n", row.target,
					row.options.transport(), row.options.shape(), result.callsPerSecond(), result.latencies().p50(),
					result.latencies().p99(), result.latencies().p999(), result.errors(),
					result.generatorCpuMicrosPerCall(), result.serverCpuMicrosPerCall());
			failed |= !result.succeeded();
		}
		out.println();
		for (Row row : rows) {
			out.println(
					"target=" + row.target.replace(' ', '_').replace(",", "") + " transport=" + row.options.transport()
							+ " conns_x_inflight=" + row.options.shape() + " " + row.result.summaryLine()
							+ String.format(Locale.ROOT, " server_cpu_us_per_call=%.1f",
									row.result.serverCpuMicrosPerCall())
							+ ((row.result.abortReason() != null) ? " FAILED: " + row.result.abortReason() : ""));
		}
		if (idleLine != null) {
			out.println(idleLine);
		}
		if (smallBuffersIdleLine != null) {
			out.println(smallBuffersIdleLine);
		}
		return failed ? 1 : 0;
	}

	private static Row load(Target target, String transport, int connections, int inFlight,
			@Nullable Credential credential, Duration warmup, Duration duration) throws Exception {
		String method = (credential != null) ? "squareAuth" : "square";
		LoadOptions options = options(target.url(), method, transport, connections, inFlight, credential, warmup,
				duration);
		String name = target.name() + ((credential != null) ? ", " + credential.label() : "");
		return new Row(name, options, new LoadGenerator(options, target::cpuNanos).run());
	}

	private static Row clientLoad(Target target, String transport, int connections, int inFlight, Duration warmup,
			Duration duration) throws Exception {
		LoadOptions options = options(target.url(), "square", transport, connections, inFlight, null, warmup, duration);
		return new Row(target.name() + ", our client (KiteConnection)", options,
				new ClientLoad(options, target::cpuNanos).run());
	}

	private static LoadOptions options(String url, String method, String transport, int connections, int inFlight,
			@Nullable Credential credential, Duration warmup, Duration duration) {
		List<String> args = new ArrayList<>(List.of("--url", url, "--method", method, "--args", "[4]", "--conns",
				Integer.toString(connections), "--inflight", Integer.toString(inFlight), "--transport", transport,
				"--warmup", warmup.toMillis() + "ms", "--duration", duration.toMillis() + "ms"));
		if (credential != null) {
			args.addAll(List.of(credential.option(), credential.value()));
		}
		return LoadOptions.from(BenchmarkArguments.parse(args.toArray(String[]::new)));
	}

	/**
	 * How a run authenticates: the {@code load} option that carries it, its value, and
	 * how the table names it.
	 */
	private record Credential(String option, String value, String label) {
	}

	/**
	 * The target's heap after a full GC with no generator connection and with
	 * {@code count} idle SockJS WebSocket connections open (each received its {@code o}
	 * frame, no call).
	 */
	private static String idleHeap(Target target, int count) throws Exception {
		long before = target.heapAfterGc();
		LoadRun run = new LoadRun(0);
		List<LoadConnection> connections = new ArrayList<>();
		IoLoop loop = new IoLoop();
		try {
			String webSocketBase = "ws:" + target.url().substring("http:".length());
			for (int i = 0; i < count; i++) {
				URI uri = URI
					.create(webSocketBase + "/0/" + UUID.randomUUID().toString().replace("-", "") + "/websocket");
				connections
					.add(WebSocketLoadConnection.open(loop, uri, run, new byte[0][], true, Duration.ofSeconds(10)));
			}
			long after = target.heapAfterGc();
			String lost = (run.abortReason() != null) ? " FAILED: " + run.abortReason() : "";
			return String.format(Locale.ROOT,
					"idle_connections=%d heap_before_kib=%d heap_after_kib=%d heap_per_idle_connection_kib=%.1f%s",
					count, before / 1024, after / 1024, (after - before) / 1024.0 / count, lost);
		}
		finally {
			connections.forEach(LoadConnection::close);
			loop.close();
		}
	}

	private record Row(String target, LoadOptions options, LoadResult result) {
	}

}
