package dev.kite.benchmarks;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.kite.benchmarks.connections.ConnectionsCommand;
import dev.kite.benchmarks.fuzz.FuzzCommand;
import dev.kite.benchmarks.kontrol.KontrolBenchmarkCommand;
import dev.kite.benchmarks.load.ClientCommand;
import dev.kite.benchmarks.load.LoadCommand;
import dev.kite.benchmarks.load.ServeCommand;
import dev.kite.benchmarks.load.StandardCommand;
import dev.kite.benchmarks.soak.SoakCommand;

/**
 * The entry point of {@code kite-benchmarks.jar}:
 * {@code java -jar kite-benchmarks.jar <command> [--option value]…}. Each command is a
 * {@link BenchmarkCommand}; the report goes to standard out, usage errors to standard
 * error with exit code 2.
 *
 * <p>
 * Runs on the thread that calls {@link #run}; the commands start and stop their own
 * threads.
 */
public final class KiteBenchmarks {

	/** Exit code of a command line that cannot be understood. */
	public static final int USAGE_ERROR = 2;

	/**
	 * Tomcat logs through java.util.logging: its start and stop notes, and its warnings
	 * about threads the web application started (the benchmark's pools, stopped after
	 * Tomcat), are noise in a report. Held here because java.util.logging keeps loggers
	 * weakly.
	 */
	private static final Logger[] quietedLoggers = { Logger.getLogger("org.apache"),
			Logger.getLogger("org.apache.catalina.loader") };

	private final Map<String, BenchmarkCommand> commands = new LinkedHashMap<>();

	/**
	 * A runner for the given commands.
	 * @param commands the commands, in the order the usage text lists them
	 */
	public KiteBenchmarks(List<BenchmarkCommand> commands) {
		commands.forEach((command) -> this.commands.put(command.name(), command));
	}

	public static void main(String[] args) throws Exception {
		quietedLoggers[0].setLevel(Level.WARNING);
		quietedLoggers[1].setLevel(Level.SEVERE);
		int exitCode = new KiteBenchmarks(List.of(new KontrolBenchmarkCommand(), new LoadCommand(), new ClientCommand(),
				new ServeCommand(System.in), new StandardCommand(), new FuzzCommand(), new SoakCommand(),
				new ConnectionsCommand(System.in)))
			.run(args, System.out, System.err);
		// Connection threads of a failed run may be non-daemon: leave explicitly.
		System.exit(exitCode);
	}

	/**
	 * Runs the command a command line names.
	 * @param args the command line
	 * @param out where the report goes
	 * @param err where usage errors go
	 * @return the exit code
	 * @throws Exception when the command fails
	 */
	public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
		if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
			printUsage((args.length == 0) ? err : out);
			return (args.length == 0) ? USAGE_ERROR : 0;
		}
		BenchmarkCommand command = this.commands.get(args[0]);
		if (command == null) {
			err.println("Unknown command '" + args[0] + "'");
			printUsage(err);
			return USAGE_ERROR;
		}
		try {
			return command.run(BenchmarkArguments.parse(Arrays.copyOfRange(args, 1, args.length)), out);
		}
		catch (BenchmarkArguments.UsageException ex) {
			err.println(ex.getMessage());
			err.println("Usage: java -jar kite-benchmarks.jar " + command.name() + " [options]");
			err.print(command.usage());
			return USAGE_ERROR;
		}
	}

	private void printUsage(PrintStream stream) {
		stream.println("Usage: java -jar kite-benchmarks.jar <command> [options]");
		stream.println("Commands:");
		this.commands.values()
			.forEach((command) -> stream.printf("  %-10s %s%n%s", command.name(), command.summary(), command.usage()));
	}

}
