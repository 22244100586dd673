package dev.kite.benchmarks;

import java.io.PrintStream;

/**
 * One subcommand of {@link KiteBenchmarks}.
 */
public interface BenchmarkCommand {

	/** The word that selects the command, e.g. {@code kontrol}. */
	String name();

	/** One line for the usage text. */
	String summary();

	/** The options, one per line, for the usage text. */
	String usage();

	/**
	 * Runs the command.
	 * @param arguments the options after the command's name
	 * @param out where the report goes
	 * @return the process exit code: 0 when every measured call succeeded
	 * @throws Exception when the benchmark cannot be set up or run
	 */
	int run(BenchmarkArguments arguments, PrintStream out) throws Exception;

}
