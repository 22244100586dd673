package dev.kite.benchmarks.kontrol;

import java.io.PrintStream;

import dev.kite.benchmarks.BenchmarkArguments;
import dev.kite.benchmarks.BenchmarkCommand;

/**
 * {@code kontrol}: registrations per second and {@code getKites} latency of a Java
 * Kontrol on the memory or PostgreSQL store (see {@link KontrolBenchmark}). Exits 1 when
 * a {@code getKites} call failed.
 */
public final class KontrolBenchmarkCommand implements BenchmarkCommand {

	@Override
	public String name() {
		return "kontrol";
	}

	@Override
	public String summary() {
		return "registrations/s and getKites latency of a Java Kontrol";
	}

	@Override
	public String usage() {
		return KontrolBenchmarkOptions.USAGE;
	}

	@Override
	public int run(BenchmarkArguments arguments, PrintStream out) throws Exception {
		KontrolBenchmarkResult result = new KontrolBenchmark(KontrolBenchmarkOptions.from(arguments)).run();
		result.print(out);
		return result.failed() ? 1 : 0;
	}

}
