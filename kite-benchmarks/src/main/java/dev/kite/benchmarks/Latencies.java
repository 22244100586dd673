package dev.kite.benchmarks;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * The summary of one latency histogram, in microseconds: what the reports print.
 * Histograms record nanoseconds with 3 significant digits, up to
 * {@link #MAX_RECORDABLE_NANOS}; a longer sample is recorded as that maximum (calls time
 * out long before).
 *
 * @param count how many samples
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p99 the 99th percentile
 * @param p999 the 99.9th percentile
 * @param max the largest sample
 */
public record Latencies(long count, long p50, long p90, long p99, long p999, long max) {

	/** The largest latency a histogram from {@link #newHistogram()} records: 10 min. */
	public static final long MAX_RECORDABLE_NANOS = TimeUnit.MINUTES.toNanos(10);

	/**
	 * A histogram many threads may record into at once.
	 * @return a new histogram in nanoseconds
	 */
	public static ConcurrentHistogram newHistogram() {
		return new ConcurrentHistogram(1, MAX_RECORDABLE_NANOS, 3);
	}

	/**
	 * Records one sample, clamped to {@link #MAX_RECORDABLE_NANOS}.
	 * @param histogram the histogram
	 * @param nanos the latency
	 */
	public static void record(AbstractHistogram histogram, long nanos) {
		histogram.recordValue(Math.max(1, Math.min(nanos, MAX_RECORDABLE_NANOS)));
	}

	/**
	 * Summarises a histogram of nanoseconds.
	 * @param histogram the histogram; not recorded into meanwhile
	 * @return the summary in microseconds (all zero for an empty histogram)
	 */
	public static Latencies of(AbstractHistogram histogram) {
		return new Latencies(histogram.getTotalCount(), micros(histogram, 50), micros(histogram, 90),
				micros(histogram, 99), micros(histogram, 99.9), histogram.getMaxValue() / 1000);
	}

	private static long micros(AbstractHistogram histogram, double percentile) {
		return histogram.getValueAtPercentile(percentile) / 1000;
	}

}
