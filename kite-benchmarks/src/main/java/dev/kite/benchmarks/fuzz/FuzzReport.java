package dev.kite.benchmarks.fuzz;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Fuzzer} run saw. The run passed when {@link #failures()} is empty.
 *
 * @param seed the seed the frames came from (a failed run reproduces with it)
 * @param frames hostile frames sent (the oversized ones included)
 * @param answered frames that had to be answered, and were, exactly once
 * @param dropped frames that had to be dropped, and were
 * @param oversized frames over the size limit, each of which closed its own connection
 * with 1009
 * @param kinds frames sent per generator
 * @param elapsed the measured run's duration
 * @param bystanderCalls calls a bystander connection made meanwhile
 * @param bystanderMaxMillis its slowest answer
 * @param warnings warnings logged without a stack trace
 * @param warningSamples one of each kind of those warnings
 * @param heapBeforeBytes heap in use after a full GC, after the warm-up
 * @param heapAfterBytes heap in use after a full GC, after the run's connections closed
 * @param threadsBefore live threads after the warm-up
 * @param threadsAfter live threads at the end
 * @param failures what went wrong, one line (or stack trace) each
 */
public record FuzzReport(long seed, long frames, long answered, long dropped, long oversized, Map<String, Long> kinds,
		Duration elapsed, long bystanderCalls, long bystanderMaxMillis, long warnings, List<String> warningSamples,
		long heapBeforeBytes, long heapAfterBytes, int threadsBefore, int threadsAfter, List<String> failures) {

	private static final int ABBREVIATED = 300;

	/** Whether every check passed. */
	public boolean passed() {
		return this.failures.isEmpty();
	}

	/** Frames per second over the measured run. */
	public long framesPerSecond() {
		long millis = Math.max(1, this.elapsed.toMillis());
		return this.frames * 1000 / millis;
	}

	/**
	 * Prints the report; the last line is for tools.
	 * @param out where to
	 */
	public void print(PrintStream out) {
		out.printf("seed %d: %d frames in %.1f s (%d frames/s), %d answered, %d dropped, %d oversized (1009)%n",
				this.seed, this.frames, this.elapsed.toMillis() / 1000.0, framesPerSecond(), this.answered,
				this.dropped, this.oversized);
		out.println("| generator | frames |");
		out.println("|---|---|");
		this.kinds.forEach((kind, count) -> out.printf("| %s | %d |%n", kind, count));
		out.printf("bystander: %d calls, slowest %d ms%n", this.bystanderCalls, this.bystanderMaxMillis);
		out.printf("log: %d warnings without a stack trace, such as%n", this.warnings);
		this.warningSamples.forEach((sample) -> out.println("  " + abbreviate(sample)));
		out.printf("heap after GC: %.1f MiB before, %.1f MiB after; threads: %d before, %d after%n",
				mib(this.heapBeforeBytes), mib(this.heapAfterBytes), this.threadsBefore, this.threadsAfter);
		if (!passed()) {
			out.printf("FAILED (%d), reproduce with --seed %d:%n", this.failures.size(), this.seed);
			this.failures.forEach((failure) -> out.println("  " + failure));
		}
		out.printf("frames=%d frames_per_sec=%d answered=%d dropped=%d failures=%d heap_growth_mib=%.1f seed=%d%n",
				this.frames, framesPerSecond(), this.answered, this.dropped, this.failures.size(),
				mib(this.heapAfterBytes - this.heapBeforeBytes), this.seed);
	}

	static double mib(long bytes) {
		return bytes / (1024.0 * 1024.0);
	}

	/**
	 * The start of a long text, for a report.
	 * @param text the text
	 * @return at most 300 characters and the length
	 */
	static String abbreviate(String text) {
		return (text.length() <= ABBREVIATED) ? text
				: text.substring(0, ABBREVIATED) + "… (" + text.length() + " characters)";
	}

}
