package dev.kite.benchmarks.load;

import java.io.PrintStream;
import java.util.function.LongSupplier;

import dev.kite.benchmarks.BenchmarkArguments;
import dev.kite.benchmarks.BenchmarkCommand;

/**
 * {@code load}: drives any kite (ours, Go's, kite.js's) with the lean closed-loop
 * {@link LoadGenerator} and prints the figures, ending with
 * {@code calls_per_sec=… p50_us=… p99_us=… errors=… cpu_us_per_call=…}. Exits 1 when a
 * call failed or nothing was measured.
 */
public final class LoadCommand implements BenchmarkCommand {

	@Override
	public String name() {
		return "load";
	}

	@Override
	public String summary() {
		return "closed-loop load on any kite: calls/s, latency, errors, generator CPU per call";
	}

	@Override
	public String usage() {
		return LoadOptions.USAGE + "  --server-pid PID     also report this local process's CPU per call\n";
	}

	@Override
	public int run(BenchmarkArguments arguments, PrintStream out) throws Exception {
		LoadOptions options = LoadOptions.from(arguments);
		int serverPid = arguments.integer("server-pid", 0, 0);
		arguments.requireAllRead();
		LongSupplier serverCpu = (serverPid > 0) ? () -> LoadGenerator.processCpuNanos(serverPid) : () -> -1;
		LoadResult result = new LoadGenerator(options, serverCpu).run();
		result.print(out, describe(options));
		return result.succeeded() ? 0 : 1;
	}

	static String describe(LoadOptions options) {
		return options.method() + options.args() + " on " + options.url() + " over " + options.transport() + ", "
				+ options.connections() + " connections x " + options.inFlight() + " in flight"
				+ ((options.authType() != null) ? ", " + options.authType() + " auth" : "") + ", warm-up "
				+ options.warmup().toMillis() + " ms, measured " + options.duration().toMillis() + " ms"
				+ ((options.calls() > 0) ? " or " + options.calls() + " calls" : "");
	}

}
