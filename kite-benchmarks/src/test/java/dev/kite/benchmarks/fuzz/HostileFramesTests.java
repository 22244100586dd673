package dev.kite.benchmarks.fuzz;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostileFramesTests {

	@Test
	void sameSeedSameFrames() {
		HostileFrames one = new HostileFrames(42);
		HostileFrames two = new HostileFrames(42);
		for (int i = 0; i < 2_000; i++) {
			assertThat(one.next()).isEqualTo(two.next());
		}
	}

	@Test
	void framesAreWellFormedUtf16AndCoverEveryGenerator() {
		HostileFrames frames = new HostileFrames(7);
		Set<String> kinds = new HashSet<>();
		for (int i = 0; i < 20_000; i++) {
			HostileFrames.Frame frame = frames.next();
			kinds.add(frame.kind());
			// A WebSocket client cannot send a lone surrogate raw: they travel as
			// escapes.
			assertThat(frame.text().codePoints().noneMatch((c) -> c >= 0xD800 && c <= 0xDFFF)).as(frame.text())
				.isTrue();
			assertThat(frame.text().length()).isLessThan(1024 * 1024);
		}
		assertThat(kinds).containsExactlyInAnyOrder("valid", "wrongEnvelope", "callbackPaths", "loneSurrogates",
				"hugeArray", "deepNesting", "randomJson", "brokenJson", "wrongMethod", "noResponder", "wrongArguments");
	}

	@Test
	void framesNameTheFunctionsTheyGiveTheServer() {
		// Seed 35048852972125, frame 1142: echo with withArgs[0] replaced by function
		// 943820. The server hands it back, and a later numeric-method frame calling the
		// server's forwarding function makes the server call 943820: the fuzzer must know
		// it gave that function (FuzzerTests failed on this seed before).
		HostileFrames frames = new HostileFrames(35048852972125L);
		for (int i = 0; i < 1142; i++) {
			frames.next();
		}
		HostileFrames.Frame frame = frames.next();
		assertThat(frame.text()).contains("\"943820\":[0,\"withArgs\",\"0\"]");
		assertThat(frame.functions()).contains(943820L).doesNotContain(frame.callbackId());
	}

}
