package dev.kite.benchmarks.fuzz;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.kite.benchmarks.BenchmarkArguments;
import dev.kite.benchmarks.BenchmarkCommand;

/**
 * {@code fuzz}: hostile frames against our endpoint in this JVM ({@link FuzzServer}),
 * checked by a {@link Fuzzer}. Prints the seed first (a failure reproduces with
 * {@code --seed}), the report, and a last line
 * {@code frames=… frames_per_sec=… answered=… dropped=… failures=… heap_growth_mib=… seed=…};
 * exits 1 when a check failed.
 */
public final class FuzzCommand implements BenchmarkCommand {

	static final String USAGE = """
			  --frames N           hostile frames to send (default 100000; the long run: 1000000)
			  --conns N            connections sending at once (default 4)
			  --inflight N         answerable frames outstanding per connection (default 32)
			  --seed N             the frames' seed (default: random, printed)
			  --timeout D          bounds every write and reply, the bystander's too (default 10s)
			  --heap-margin-mib N  heap growth still counted as flat (default 64)
			""";

	@Override
	public String name() {
		return "fuzz";
	}

	@Override
	public String summary() {
		return "malformed and hostile frames against our endpoint: answered or dropped, bystander served, heap flat";
	}

	@Override
	public String usage() {
		return USAGE;
	}

	@Override
	public int run(BenchmarkArguments arguments, PrintStream out) throws Exception {
		Fuzzer.Options options = options(arguments);
		arguments.requireAllRead();
		out.printf("fuzz: %d frames, %d connections x %d in flight, seed %d%n", options.frames(), options.connections(),
				options.inFlight(), options.seed());
		try (FuzzServer server = new FuzzServer()) {
			FuzzReport report = new Fuzzer(server, options).run();
			report.print(out);
			return report.passed() ? 0 : 1;
		}
	}

	static Fuzzer.Options options(BenchmarkArguments arguments) {
		int frames = arguments.integer("frames", 100_000, 1);
		int connections = arguments.integer("conns", 4, 1);
		int inFlight = arguments.integer("inflight", 32, 1);
		String seedText = arguments.optionalString("seed");
		long seed;
		try {
			seed = (seedText != null) ? Long.parseLong(seedText) : ThreadLocalRandom.current().nextLong();
		}
		catch (NumberFormatException ex) {
			throw new BenchmarkArguments.UsageException(
					"Option --seed must be a whole number but was '" + seedText + "'");
		}
		Duration timeout = arguments.duration("timeout", Duration.ofSeconds(10));
		long margin = arguments.integer("heap-margin-mib", 64, 0) * 1024L * 1024L;
		return new Fuzzer.Options(frames, connections, inFlight, seed, timeout, margin);
	}

}
