package dev.kite.kontrol.query;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A version as hashicorp/go-version parses it (the library Go's Kontrol uses):
 * {@code 1.2.3}, {@code 1.2}, {@code v1.2.3}, {@code 1.2.3-beta.1}, {@code 1.2.3+build}.
 * Missing segments count as 0 ({@code 1.2} equals {@code 1.2.0}); a version with a
 * pre-release sorts before the same version without one; build metadata is ignored when
 * comparing.
 *
 * <p>
 * Immutable and thread-safe.
 */
public final class GoVersion implements Comparable<GoVersion> {

	/** go-version's {@code VersionRegexpRaw}. */
	static final String PATTERN = "v?([0-9]+(\\.[0-9]+)*?)" + "(-([0-9]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)"
			+ "|(-?([A-Za-z\\-~]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)))?"
			+ "(\\+([0-9A-Za-z\\-~]+(\\.[0-9A-Za-z\\-~]+)*))?";

	private static final Pattern VERSION = Pattern.compile("^" + PATTERN + "$");

	private final long[] segments;

	/** How many segments the text had (go-version's {@code si}); {@code ~>} needs it. */
	private final int specified;

	private final String preRelease;

	private final String text;

	private GoVersion(long[] segments, int specified, String preRelease, String text) {
		this.segments = segments;
		this.specified = specified;
		this.preRelease = preRelease;
		this.text = text;
	}

	/**
	 * @param text a version
	 * @return the version, or empty when the text is not one
	 */
	public static Optional<GoVersion> parse(String text) {
		Matcher matcher = VERSION.matcher(text);
		if (!matcher.matches()) {
			return Optional.empty();
		}
		return Optional.ofNullable(of(matcher.group(1), matcher, text));
	}

	static @Nullable GoVersion of(String numbers, Matcher matcher, String text) {
		String[] parts = numbers.split("\\.");
		long[] segments = new long[Math.max(3, parts.length)];
		for (int i = 0; i < parts.length; i++) {
			try {
				segments[i] = Long.parseLong(parts[i]);
			}
			catch (NumberFormatException ex) {
				return null; // beyond int64: go-version refuses it too
			}
		}
		String preRelease = (matcher.group(4) != null) ? matcher.group(4)
				: (matcher.group(7) != null) ? matcher.group(7) : "";
		return new GoVersion(segments, parts.length, preRelease, text);
	}

	long segment(int index) {
		return (index < this.segments.length) ? this.segments[index] : 0;
	}

	int specified() {
		return this.specified;
	}

	String preRelease() {
		return this.preRelease;
	}

	@Override
	public int compareTo(GoVersion other) {
		int length = Math.max(this.segments.length, other.segments.length);
		for (int i = 0; i < length; i++) {
			int bySegment = Long.compare(segment(i), other.segment(i));
			if (bySegment != 0) {
				return bySegment;
			}
		}
		return comparePreReleases(this.preRelease, other.preRelease);
	}

	/**
	 * go-version's {@code comparePrereleases}: none sorts after any; then part by part.
	 */
	private static int comparePreReleases(String mine, String other) {
		if (mine.equals(other)) {
			return 0;
		}
		if (mine.isEmpty()) {
			return 1;
		}
		if (other.isEmpty()) {
			return -1;
		}
		String[] myParts = mine.split("\\.");
		String[] otherParts = other.split("\\.");
		int length = Math.max(myParts.length, otherParts.length);
		for (int i = 0; i < length; i++) {
			String a = (i < myParts.length) ? myParts[i] : "";
			String b = (i < otherParts.length) ? otherParts[i] : "";
			int byPart = comparePart(a, b);
			if (byPart != 0) {
				return byPart;
			}
		}
		return 0;
	}

	private static int comparePart(String a, String b) {
		if (a.equals(b)) {
			return 0;
		}
		boolean aNumeric = !a.isEmpty() && a.chars().allMatch(Character::isDigit);
		boolean bNumeric = !b.isEmpty() && b.chars().allMatch(Character::isDigit);
		if (a.isEmpty()) {
			return bNumeric ? -1 : 1;
		}
		if (b.isEmpty()) {
			return aNumeric ? 1 : -1;
		}
		if (aNumeric && bNumeric) {
			return new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b));
		}
		if (aNumeric) {
			return -1;
		}
		if (bNumeric) {
			return 1;
		}
		return (a.compareTo(b) > 0) ? 1 : -1;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof GoVersion version && compareTo(version) == 0;
	}

	@Override
	public int hashCode() {
		long[] trimmed = this.segments;
		int last = trimmed.length;
		while (last > 0 && trimmed[last - 1] == 0) {
			last--;
		}
		return Arrays.hashCode(Arrays.copyOf(trimmed, last)) * 31 + this.preRelease.hashCode();
	}

	@Override
	public String toString() {
		return this.text;
	}

}
