package dev.kite.benchmarks.soak;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.kite.benchmarks.BenchmarkArguments;
import dev.kite.benchmarks.BenchmarkCommand;

/**
 * {@code soak}: a {@link Soak} against our endpoint in this JVM. Exits 1 when a check
 * failed.
 */
public final class SoakCommand implements BenchmarkCommand {

	static final String USAGE = """
			  --conns N            connections calling at once (default 1000)
			  --duration D         how long (default 3m)
			  --disconnect-every D a random connection is dropped and replaced this often (default 100ms)
			  --timeout D          bounds dials and calls (default 15s)
			  --seed N             picks the dropped connections (default: random, printed)
			  --drops N            end after this many drops, before the duration is over (default 0: no limit)
			""";

	@Override
	public String name() {
		return "soak";
	}

	@Override
	public String summary() {
		return "many connections calling for minutes, random disconnects: errors, calls/s, heap and threads";
	}

	@Override
	public String usage() {
		return USAGE;
	}

	@Override
	public int run(BenchmarkArguments arguments, PrintStream out) throws Exception {
		int connections = arguments.integer("conns", 1000, 1);
		Duration duration = arguments.duration("duration", Duration.ofMinutes(3));
		Duration disconnectEvery = arguments.duration("disconnect-every", Duration.ofMillis(100));
		Duration timeout = arguments.duration("timeout", Duration.ofSeconds(15));
		String seedText = arguments.optionalString("seed");
		long seed;
		try {
			seed = (seedText != null) ? Long.parseLong(seedText) : ThreadLocalRandom.current().nextLong();
		}
		catch (NumberFormatException ex) {
			throw new BenchmarkArguments.UsageException(
					"Option --seed must be a whole number but was '" + seedText + "'");
		}
		int drops = arguments.integer("drops", 0, 0);
		arguments.requireAllRead();
		if (disconnectEvery.isZero()) {
			throw new BenchmarkArguments.UsageException("Option --disconnect-every must be positive");
		}
		out.printf("soak: %d connections for %s, one dropped every %s, seed %d%n", connections, duration,
				disconnectEvery, seed);
		return new Soak(new Soak.Options(connections, duration, disconnectEvery, timeout, seed, drops)).run(out) ? 0
				: 1;
	}

}
