package dev.kite.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kite.kontrol.KontrolTokens;
import dev.kite.kontrol.store.KontrolKeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's kite.js examples (the {@code js} blocks marked
 * {@code <!-- checked-by: interop-tests/.../ReadmeKiteJsTest.java -->}) with the real
 * kite.js 1.0.13 against the sample app, changed only where a test must: the app's port
 * instead of 8080, the interop run's username and environment instead of
 * {@code kontrol/development}, and a kite key file for {@code alice} signed by the app's
 * embedded Kontrol. Every replaced text must be in the block, so a README edit that
 * changes the examples fails here instead of going unchecked.
 */
@ExtendWith(SampleAppExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadmeKiteJsTest {

	private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(30);

	private static final Pattern JS_BLOCK = Pattern.compile(
			"<!-- checked-by: interop-tests/src/test/java/dev/kite/interop/ReadmeKiteJsTest\\.java -->\\n```js\\n(.*?)```",
			Pattern.DOTALL);

	private static final String README_HOST = "localhost:8080";

	@Test
	void guideCallsSquareAndCallbackOverSockJs(SampleApp app) throws IOException {
		String block = blocks().get(0);
		NodeScript.Result run = runBlock("guide-sockjs", replace(block, README_HOST, host(app)));
		assertThat(printed(run)).as(run.describe()).containsExactly("16", "got 6");
	}

	@Test
	void guideCallsSquareAndCallbackOverTheRawWebSocketOfItsComment(SampleApp app) throws IOException {
		String block = blocks().get(0);
		Matcher raw = Pattern.compile("// or kite.js' default raw WebSocket: (new Kite\\(\\{[^}]*}\\))").matcher(block);
		assertThat(raw.find()).as("the raw WebSocket alternative in the comment of:\n" + block).isTrue();
		Matcher sockJs = Pattern.compile("new Kite\\(\\{ url: 'http://localhost:8080/kite'[^}]*}\\)").matcher(block);
		assertThat(sockJs.find()).as("the SockJS construction in:\n" + block).isTrue();
		String rawBlock = block.substring(0, sockJs.start()) + raw.group(1) + block.substring(sockJs.end());
		NodeScript.Result run = runBlock("guide-raw", replace(rawBlock, README_HOST, host(app)));
		assertThat(printed(run)).as(run.describe()).containsExactly("16", "got 6");
	}

	@Test
	void squareAuthThroughTheEmbeddedKontrolWithTheTokenItMints(SampleApp app) throws IOException {
		app.awaitLog("Registered with Kontrol " + app.kontrolUrl() + " as " + app.httpUrl(), REGISTRATION_TIMEOUT);
		Path key = scriptDir().resolve("alice.key");
		Files.writeString(key, kiteKeyFor("alice", app) + "\n", StandardCharsets.UTF_8);
		String block = blocks().get(1);
		block = replace(block, README_HOST, host(app));
		block = replace(block, "'alice.key'", jsString(key.toAbsolutePath().toString()));
		// Out of the box the app is kontrol/development/math (its username is the
		// embedded
		// Kontrol's); the interop run names both.
		block = replace(block, "username: 'kontrol'", "username: " + jsString(SampleApp.USERNAME));
		block = replace(block, "environment: 'development'", "environment: " + jsString(SampleApp.ENVIRONMENT));
		NodeScript.Result run = runBlock("kontrol-token", block);
		assertThat(printed(run)).as(run.describe()).containsExactly("9");
	}

	private static List<String> blocks() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
		List<String> blocks = new ArrayList<>();
		Matcher matcher = JS_BLOCK.matcher(readme);
		while (matcher.find()) {
			blocks.add(matcher.group(1));
		}
		assertThat(blocks).as("the README's js blocks checked by this test").hasSize(2);
		return blocks;
	}

	private static NodeScript.Result runBlock(String name, String script) throws IOException {
		// Under target/ in this module, so require('kite.js') finds this module's
		// node_modules.
		Path file = scriptDir().resolve("readme-" + name + ".js");
		Files.writeString(file, script, StandardCharsets.UTF_8);
		NodeScript.Result run = NodeScript.run(SCRIPT_TIMEOUT, file.toAbsolutePath().toString());
		assertThat(run.exitCode()).as(run.describe()).isZero();
		return run;
	}

	/** What the example printed, without kite.js' own log lines. */
	private static List<String> printed(NodeScript.Result run) {
		return run.stdout().lines().filter((line) -> !line.startsWith("[kite] ")).toList();
	}

	private static Path scriptDir() throws IOException {
		return Files.createDirectories(Path.of("target", "readme-js"));
	}

	private static String replace(String text, String from, String to) {
		assertThat(text).as("the README block should contain " + from).contains(from);
		return text.replace(from, to);
	}

	private static String host(SampleApp app) {
		return "127.0.0.1:" + app.port();
	}

	private static String jsString(String value) {
		return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
	}

	/** A kite key signed with the pair the embedded Kontrol generated in its key-dir. */
	private static String kiteKeyFor(String username, SampleApp app) throws IOException {
		Path dir = app.kontrolKeyDir();
		KontrolKeyPair pair = new KontrolKeyPair("embedded",
				Files.readString(dir.resolve("kontrol.pub"), StandardCharsets.UTF_8).strip(),
				Files.readString(dir.resolve("kontrol.pem"), StandardCharsets.UTF_8).strip());
		return new KontrolTokens(SampleApp.USERNAME, Duration.ofHours(1), Duration.ofMinutes(5), Clock.systemUTC())
			.kiteKey(username, pair, app.kontrolUrl());
	}

}
