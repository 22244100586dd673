package dev.kite.kontrol.query;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Versions and constraints as hashicorp/go-version reads them.
 */
class VersionConstraintTests {

	@Test
	void parsesGoVersions() {
		assertThat(GoVersion.parse("1.2.3")).isPresent();
		assertThat(GoVersion.parse("1.2")).isPresent();
		assertThat(GoVersion.parse("v1.2.3")).isPresent();
		assertThat(GoVersion.parse("1.2.3-beta.1+build.5")).isPresent();
		assertThat(GoVersion.parse(">1.0")).isEmpty();
		assertThat(GoVersion.parse("latest")).isEmpty();
		assertThat(GoVersion.parse("")).isEmpty();
	}

	@Test
	void comparesSegmentsNumericallyAndPreReleasesFirst() {
		assertThat(v("1.2")).isEqualByComparingTo(v("1.2.0"));
		assertThat(v("1.10.0")).isGreaterThan(v("1.9.0"));
		assertThat(v("1.0.0-beta")).isLessThan(v("1.0.0"));
		assertThat(v("1.0.0-alpha")).isLessThan(v("1.0.0-beta"));
		assertThat(v("1.0.0-2")).isLessThan(v("1.0.0-10"));
		assertThat(v("1.0.0+a")).isEqualByComparingTo(v("1.0.0+b"));
	}

	@Test
	void checksEveryOperator() {
		assertThat(check("= 1.0", "1.0.0")).isTrue();
		assertThat(check("1.0", "1.0.1")).isFalse();
		assertThat(check("!= 1.0", "1.0.1")).isTrue();
		assertThat(check("> 1.0", "1.0.1")).isTrue();
		assertThat(check("> 1.0", "1.0.0")).isFalse();
		assertThat(check("< 1.0", "0.9")).isTrue();
		assertThat(check(">= 1.0", "1.0.0")).isTrue();
		assertThat(check("<= 1.0", "1.0.1")).isFalse();
		assertThat(check(">= 1.0, < 1.4", "1.3.9")).isTrue();
		assertThat(check(">= 1.0, < 1.4", "1.4.0")).isFalse();
	}

	@Test
	void pessimisticConstraintsKeepTheLastSpecifiedSegmentOpen() {
		assertThat(check("~> 1.2.3", "1.2.9")).isTrue();
		assertThat(check("~> 1.2.3", "1.3.0")).isFalse();
		assertThat(check("~> 1.2.3", "1.2.2")).isFalse();
		assertThat(check("~> 1.2", "1.9.0")).isTrue();
		assertThat(check("~> 1.2", "2.0.0")).isFalse();
	}

	@Test
	void preReleasesOnlyMatchConstraintsWithPreReleases() {
		assertThat(check("> 1.0", "2.0.0-beta")).isFalse();
		assertThat(check(">= 2.0.0-alpha", "2.0.0-beta")).isTrue();
		assertThat(check(">= 1.0.0-alpha", "2.0.0-beta")).isFalse();
	}

	@Test
	void malformedConstraintsUseGosMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> VersionConstraint.parse(">= 1.0, what"))
			.withMessage("Malformed constraint:  what");
		assertThatIllegalArgumentException().isThrownBy(() -> VersionConstraint.parse("=> 1.0"))
			.withMessage("Malformed constraint: => 1.0");
	}

	private static boolean check(String constraint, String version) {
		return VersionConstraint.parse(constraint).check(v(version));
	}

	private static GoVersion v(String text) {
		return GoVersion.parse(text).orElseThrow();
	}

}
