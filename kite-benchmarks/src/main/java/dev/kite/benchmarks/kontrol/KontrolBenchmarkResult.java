package dev.kite.benchmarks.kontrol;

import java.io.PrintStream;
import java.util.Locale;

import dev.kite.benchmarks.Latencies;
import org.jspecify.annotations.Nullable;

/**
 * What one run of the {@code kontrol} benchmark measured, and its report: a Markdown
 * table, then one {@code key=value} line for scripts.
 *
 * @param options what was asked for
 * @param store which store Kontrol ran on
 * @param registrationNanos how long registering every kite took (dial and
 * {@code register}, {@code connections} at a time)
 * @param dials each registering kite's dial
 * @param registers each {@code register} call
 * @param heapAfterRegistration bytes of heap in use, after a full collection, once every
 * kite is registered (Kontrol and the kites' connections share the JVM)
 * @param getKitesOne {@code getKites} matching one kite
 * @param getKitesAll {@code getKites} matching every kite
 * @param allAnswerSize the characters of JSON in the result listing every kite
 */
public record KontrolBenchmarkResult(KontrolBenchmarkOptions options, String store, long registrationNanos,
		Latencies dials, Latencies registers, long heapAfterRegistration, ClosedLoop.LoopResult getKitesOne,
		ClosedLoop.LoopResult getKitesAll, int allAnswerSize) {

	/** Registrations per second over the time to register every kite. */
	public double registrationsPerSecond() {
		return this.options.kites() * 1e9 / this.registrationNanos;
	}

	/**
	 * Whether any {@code getKites} call failed, or a window measured no call (shorter
	 * than one call: its zeros are no figure).
	 */
	public boolean failed() {
		return this.getKitesOne.failure() != null || this.getKitesAll.failure() != null
				|| this.getKitesOne.latencies().count() == 0 || this.getKitesAll.latencies().count() == 0;
	}

	/**
	 * Prints the report.
	 * @param out where to
	 */
	public void print(PrintStream out) {
		KontrolBenchmarkOptions o = this.options;
		out.printf(Locale.ROOT, "## Kontrol: %d kites on %s%n%n", o.kites(), this.store);
		out.printf(Locale.ROOT,
				"Transport %s; %d concurrent registrations; getKites from %d connections x %d in flight, "
						+ "warm-up %s, measured %s%s per query.%n%n",
				o.transport(), o.connections(), o.connections(), o.inFlight(), seconds(o.warmup().toMillis()),
				seconds(o.duration().toMillis()), (o.calls() > 0) ? " (or " + o.calls() + " calls)" : "");
		out.printf(Locale.ROOT,
				"Registering %d kites (new connection + register each): %.2f s, %.0f registrations/s%n%n", o.kites(),
				this.registrationNanos / 1e9, registrationsPerSecond());
		out.printf(Locale.ROOT,
				"Heap in use with %d kites registered (Kontrol and kites with a %d-byte client message limit, "
						+ "after a GC): %d MiB%n%n",
				o.kites(), o.kiteMaxMessageSize(), this.heapAfterRegistration / (1024 * 1024));
		out.println("| measurement | calls | calls/s | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs |");
		out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
		row(out, "dial (SockJS/WebSocket handshake)", this.dials, null);
		row(out, "register", this.registers, null);
		row(out, "getKites, 1 match (user/env/name)", this.getKitesOne.latencies(), this.getKitesOne.callsPerSecond());
		row(out, "getKites, " + o.kites() + " matches (user)", this.getKitesAll.latencies(),
				this.getKitesAll.callsPerSecond());
		out.println();
		out.printf(Locale.ROOT, "A getKites answer listing all %d kites is %d characters of JSON.%n", o.kites(),
				this.allAnswerSize);
		printEmpty(out, "getKites, 1 match", this.getKitesOne);
		printEmpty(out, "getKites, all", this.getKitesAll);
		printFailure(out, "getKites, 1 match", this.getKitesOne.failure());
		printFailure(out, "getKites, all", this.getKitesAll.failure());
		out.printf(Locale.ROOT,
				"registrations_per_sec=%.0f getkites_one_p50_us=%d getkites_one_p99_us=%d getkites_all_p50_us=%d "
						+ "getkites_all_p99_us=%d%n",
				registrationsPerSecond(), this.getKitesOne.latencies().p50(), this.getKitesOne.latencies().p99(),
				this.getKitesAll.latencies().p50(), this.getKitesAll.latencies().p99());
	}

	private static void row(PrintStream out, String name, Latencies latencies, @Nullable Double callsPerSecond) {
		out.printf(Locale.ROOT, "| %s | %d | %s | %d | %d | %d | %d | %d |%n", name, latencies.count(),
				(callsPerSecond != null) ? String.format(Locale.ROOT, "%.0f", callsPerSecond) : "–", latencies.p50(),
				latencies.p90(), latencies.p99(), latencies.p999(), latencies.max());
	}

	private static void printFailure(PrintStream out, String what, @Nullable Throwable failure) {
		if (failure != null) {
			out.println("FAILED: " + what + ": " + failure);
		}
	}

	private static void printEmpty(PrintStream out, String what, ClosedLoop.LoopResult result) {
		if (result.failure() == null && result.latencies().count() == 0) {
			out.println("FAILED: " + what + ": no call started and completed in the measured window; "
					+ "its zeros are not measurements (make --duration longer)");
		}
	}

	private static String seconds(long millis) {
		return (millis % 1000 == 0) ? (millis / 1000) + " s" : millis + " ms";
	}

}
