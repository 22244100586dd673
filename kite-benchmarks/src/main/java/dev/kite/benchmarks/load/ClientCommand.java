package dev.kite.benchmarks.load;

import java.io.PrintStream;
import java.util.function.LongSupplier;

import dev.kite.benchmarks.BenchmarkArguments;
import dev.kite.benchmarks.BenchmarkCommand;

/**
 * {@code client}: the {@code load} options, driven by our {@code KiteConnection} instead
 * of the lean generator ({@link ClientLoad}); the same report and last line.
 */
public final class ClientCommand implements BenchmarkCommand {

	@Override
	public String name() {
		return "client";
	}

	@Override
	public String summary() {
		return "the same closed loop driven by our KiteConnection (our client against a target)";
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
		LoadResult result = new ClientLoad(options, serverCpu).run();
		result.print(out, "KiteConnection: " + LoadCommand.describe(options));
		return result.succeeded() ? 0 : 1;
	}

}
