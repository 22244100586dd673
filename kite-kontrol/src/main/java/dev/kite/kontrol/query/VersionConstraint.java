package dev.kite.kontrol.query;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version constraint as hashicorp/go-version reads it: comma-separated terms that must
 * all hold, each an operator ({@code =}, {@code !=}, {@code >}, {@code <}, {@code >=},
 * {@code <=}, {@code ~>}; none means {@code =}) and a version, e.g.
 * {@code ">= 1.0, < 1.4"} or {@code "~> 1.2"}.
 *
 * <p>
 * As in go-version, a version with a pre-release satisfies a term only when the term's
 * version has a pre-release too and both share their numeric segments, so
 * {@code 2.0.0-beta} does not satisfy {@code > 1.0}.
 *
 * <p>
 * Immutable and thread-safe.
 */
public final class VersionConstraint {

	private static final Pattern TERM = Pattern
		.compile("^\\s*(=|!=|>|<|>=|<=|~>)?\\s*(" + GoVersion.PATTERN + ")\\s*$");

	private record Term(String operator, GoVersion version, BiPredicate<GoVersion, GoVersion> check) {
	}

	private final List<Term> terms;

	private final String text;

	private VersionConstraint(List<Term> terms, String text) {
		this.terms = terms;
		this.text = text;
	}

	/**
	 * @param text the constraint
	 * @return the constraint
	 * @throws IllegalArgumentException with go-version's message
	 * ({@code Malformed constraint: <term>}) when a term does not parse
	 */
	public static VersionConstraint parse(String text) {
		List<Term> terms = new ArrayList<>();
		for (String part : text.split(",", -1)) {
			Matcher matcher = TERM.matcher(part);
			GoVersion version = null;
			if (matcher.matches()) {
				// groups: 1 operator, 2 whole version, 3 numbers, then GoVersion's groups
				// shifted by 2
				Matcher versionMatcher = Pattern.compile("^" + GoVersion.PATTERN + "$").matcher(matcher.group(2));
				if (versionMatcher.matches()) {
					version = GoVersion.of(versionMatcher.group(1), versionMatcher, matcher.group(2));
				}
			}
			if (version == null) {
				throw new IllegalArgumentException("Malformed constraint: " + part);
			}
			String operator = (matcher.group(1) != null) ? matcher.group(1) : "=";
			terms.add(new Term(operator, version, check(operator)));
		}
		return new VersionConstraint(List.copyOf(terms), text);
	}

	private static BiPredicate<GoVersion, GoVersion> check(String operator) {
		return switch (operator) {
			case "=" -> (v, c) -> v.compareTo(c) == 0;
			case "!=" -> (v, c) -> v.compareTo(c) != 0;
			case ">" -> (v, c) -> v.compareTo(c) > 0;
			case "<" -> (v, c) -> v.compareTo(c) < 0;
			case ">=" -> (v, c) -> v.compareTo(c) >= 0;
			case "<=" -> (v, c) -> v.compareTo(c) <= 0;
			default -> VersionConstraint::pessimistic;
		};
	}

	/** go-version's {@code constraintPessimistic} ({@code ~>}). */
	private static boolean pessimistic(GoVersion v, GoVersion c) {
		if (v.compareTo(c) < 0) {
			return false;
		}
		int cs = c.specified();
		if (cs > Math.max(3, v.specified())) {
			return false;
		}
		for (int i = 0; i < cs - 1; i++) {
			if (v.segment(i) != c.segment(i)) {
				return false;
			}
		}
		return c.segment(cs - 1) <= v.segment(cs - 1);
	}

	/**
	 * @param version a version
	 * @return whether it satisfies every term
	 */
	public boolean check(GoVersion version) {
		for (Term term : this.terms) {
			if (!preReleaseCheck(version, term.version()) || !term.check().test(version, term.version())) {
				return false;
			}
		}
		return true;
	}

	/** go-version's {@code prereleaseCheck}. */
	private static boolean preReleaseCheck(GoVersion v, GoVersion c) {
		boolean vPre = !v.preRelease().isEmpty();
		boolean cPre = !c.preRelease().isEmpty();
		if (cPre && vPre) {
			for (int i = 0; i < 3; i++) {
				if (v.segment(i) != c.segment(i)) {
					return false;
				}
			}
			return true;
		}
		return !(!cPre && vPre);
	}

	@Override
	public String toString() {
		return this.text;
	}

}
