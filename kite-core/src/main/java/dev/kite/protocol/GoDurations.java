package dev.kite.protocol;

import java.time.Duration;

/**
 * Durations written as Go writes them, for the texts Go's kite puts into errors.
 *
 * <p>
 * Thread safety: stateless.
 */
public final class GoDurations {

	private GoDurations() {
	}

	/**
	 * Go's {@code time.Duration.String()}: {@code 15s}, {@code 1.5s}, {@code 500ms},
	 * {@code 1m30s}, {@code 48h0m0s}. Error messages that Go peers compare or humans read
	 * are written with it.
	 * @param duration a duration
	 * @return Go's text for it; a duration beyond Go's range (about 292 years) in Java's
	 * form
	 */
	public static String format(Duration duration) {
		long nanos;
		try {
			nanos = duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return duration.toString();
		}
		if (nanos == 0) {
			return "0s";
		}
		StringBuilder text = new StringBuilder();
		if (nanos < 0) {
			text.append('-');
			nanos = -nanos;
		}
		if (nanos < 1_000L) {
			return text.append(nanos).append("ns").toString();
		}
		if (nanos < 1_000_000L) {
			return text.append(fraction(nanos, 1_000L)).append("µs").toString();
		}
		if (nanos < 1_000_000_000L) {
			return text.append(fraction(nanos, 1_000_000L)).append("ms").toString();
		}
		long hours = nanos / 3_600_000_000_000L;
		long rest = nanos % 3_600_000_000_000L;
		long minutes = rest / 60_000_000_000L;
		long secondsNanos = rest % 60_000_000_000L;
		if (hours > 0) {
			text.append(hours).append('h');
		}
		if (hours > 0 || minutes > 0) {
			text.append(minutes).append('m');
		}
		return text.append(fraction(secondsNanos, 1_000_000_000L)).append('s').toString();
	}

	private static String fraction(long value, long unit) {
		long whole = value / unit;
		long part = value % unit;
		if (part == 0) {
			return Long.toString(whole);
		}
		String digits = Long.toString(unit + part).substring(1);
		int end = digits.length();
		while (end > 0 && digits.charAt(end - 1) == '0') {
			end--;
		}
		return whole + "." + digits.substring(0, end);
	}

}
