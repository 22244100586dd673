package dev.kite.benchmarks.load;

import java.io.PrintStream;
import java.util.Locale;

import dev.kite.benchmarks.Latencies;
import org.jspecify.annotations.Nullable;

/**
 * What one closed-loop run measured.
 *
 * @param latencies the latencies of the calls answered without error in the window
 * @param elapsedNanos how long the window lasted
 * @param errors the calls that failed anywhere in the run (error replies, timeouts, calls
 * lost with their connection)
 * @param generatorCpuNanos this process's CPU time in the window
 * @param serverCpuNanos the server process's CPU time in the window, or -1 when unknown
 * @param abortReason why the run ended early, or {@code null}
 */
public record LoadResult(Latencies latencies, long elapsedNanos, long errors, long generatorCpuNanos,
		long serverCpuNanos, @Nullable String abortReason) {

	/** Measured calls. */
	public long calls() {
		return this.latencies.count();
	}

	/** Measured calls per second. */
	public double callsPerSecond() {
		return (this.elapsedNanos > 0) ? calls() * 1e9 / this.elapsedNanos : 0;
	}

	/** This process's CPU µs per measured call, or -1 without calls. */
	public double generatorCpuMicrosPerCall() {
		return perCall(this.generatorCpuNanos);
	}

	/** The server's CPU µs per measured call, or -1 when unknown. */
	public double serverCpuMicrosPerCall() {
		return (this.serverCpuNanos < 0) ? -1 : perCall(this.serverCpuNanos);
	}

	private double perCall(long nanos) {
		return (calls() > 0) ? nanos / 1000.0 / calls() : -1;
	}

	/** Whether the run measured calls and none failed. */
	public boolean succeeded() {
		return calls() > 0 && this.errors == 0 && this.abortReason == null;
	}

	/**
	 * The line tools read, always the last of a {@code load} report:
	 * {@code calls_per_sec=… p50_us=… p99_us=… errors=… cpu_us_per_call=…}.
	 * @return the line
	 */
	public String summaryLine() {
		return String.format(Locale.ROOT, "calls_per_sec=%.0f p50_us=%d p99_us=%d errors=%d cpu_us_per_call=%.1f",
				callsPerSecond(), this.latencies.p50(), this.latencies.p99(), this.errors, generatorCpuMicrosPerCall());
	}

	/**
	 * Prints the report: the figures, then {@link #summaryLine()}.
	 * @param out where
	 * @param description what ran
	 */
	public void print(PrintStream out, String description) {
		out.println("## " + description);
		out.println("| calls | calls/s | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | errors |");
		out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
		out.printf(Locale.ROOT, "| %d | %.0f | %d | %d | %d | %d | %d | %d |%n", calls(), callsPerSecond(),
				this.latencies.p50(), this.latencies.p90(), this.latencies.p99(), this.latencies.p999(),
				this.latencies.max(), this.errors);
		out.printf(Locale.ROOT, "generator CPU: %.1f µs/call%s%n", generatorCpuMicrosPerCall(),
				(this.serverCpuNanos >= 0) ? String.format(Locale.ROOT, "; server CPU: %.1f µs/call (ratio %.2f)",
						serverCpuMicrosPerCall(), generatorCpuMicrosPerCall() / serverCpuMicrosPerCall()) : "");
		if (this.abortReason != null) {
			out.println("FAILED: the run ended early: " + this.abortReason);
		}
		out.println(summaryLine());
	}

}
