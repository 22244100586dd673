package dev.kite.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogSafeTests {

	@Test
	void leavesOrdinaryTextAlone() {
		String text = "square (kite.js 1.0, ünïcode)";
		assertThat(LogSafe.escape(text)).isSameAs(text);
	}

	@Test
	void escapesLineBreaksAndControlCharacters() {
		assertThat(LogSafe.escape("a\nb\rc\td\u0000e\u001bf\u0085g\u2028h"))
			.isEqualTo("a\\nb\\rc\\td\\u0000e\\u001bf\\u0085g\\u2028h");
	}

	@Test
	void doublesBackslashesSoAnEscapeCannotBeForged() {
		assertThat(LogSafe.escape("a\\nb\nc")).isEqualTo("a\\\\nb\\nc");
	}

	@Test
	void cutsLongValues() {
		String escaped = LogSafe.escape("x".repeat(LogSafe.MAX_LENGTH + 10));
		assertThat(escaped).isEqualTo("x".repeat(LogSafe.MAX_LENGTH) + "...(10 more characters)");
		assertThat(LogSafe.escape("x".repeat(LogSafe.MAX_LENGTH))).hasSize(LogSafe.MAX_LENGTH);
	}

	@Test
	void cutsLongValuesWithoutAnythingToEscape() {
		assertThat(LogSafe.escape("y".repeat(1000))).hasSize(LogSafe.MAX_LENGTH + "...(744 more characters)".length());
	}

	@Test
	void wrapsAnyValueAndNull() {
		assertThat(LogSafe.of(null)).hasToString("null");
		assertThat(LogSafe.of(new StringBuilder("evil\nERROR forged"))).hasToString("evil\\nERROR forged");
	}

}
