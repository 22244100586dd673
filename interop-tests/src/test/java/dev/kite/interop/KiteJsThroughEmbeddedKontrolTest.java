package dev.kite.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.kite.kontrol.KontrolTokens;
import dev.kite.kontrol.store.KontrolKeyPair;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sample app as it runs out of the box, in one process: its embedded Kontrol at
 * {@code /kontrol} issued the app's kite key and the app registered its {@code math} kite
 * there. The unmodified kite.js 1.0.13 ({@code src/test/js/kontrol-client-checks.js})
 * connects to that Kontrol with a kite key for {@code alice} signed by the Kontrol's key
 * pair (read from its key directory, as {@code kite-kontrol-server kite-key alice} would
 * issue it) — over SockJS at {@code /kontrol} and raw WebSocket at
 * {@code /kontrol/websocket} — finds the app with {@code getKites}, and calls
 * {@code squareAuth} with the token the embedded Kontrol minted, which the app accepts.
 */
@ExtendWith(SampleAppExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KiteJsThroughEmbeddedKontrolTest {

	private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(30);

	@ParameterizedTest
	@ValueSource(strings = { "sockjs", "raw" })
	void kiteJsFindsTheAppThroughItsEmbeddedKontrolAndCallsItWithTheToken(String mode, SampleApp app)
			throws IOException, ParseException {
		app.awaitLog("Registered with Kontrol " + app.kontrolUrl() + " as " + app.httpUrl(), REGISTRATION_TIMEOUT);
		String kontrolUrl = mode.equals("raw") ? app.kontrolRawWebSocketUrl() : app.kontrolUrl();
		NodeScript.Result run = KontrolClientChecks.run(mode, kontrolUrl, kiteKeyFor("alice", app));
		// The embedded Kontrol's username is the app's (kite.username).
		KontrolClientChecks.assertFoundAndCalled(run, mode, app, SampleApp.USERNAME, null, "alice");
	}

	/** A kite key signed with the pair the embedded Kontrol generated in its key-dir. */
	private static String kiteKeyFor(String username, SampleApp app) throws IOException {
		Path dir = app.kontrolKeyDir();
		KontrolKeyPair pair = new KontrolKeyPair("embedded",
				Files.readString(dir.resolve("kontrol.pub"), StandardCharsets.UTF_8).strip(),
				Files.readString(dir.resolve("kontrol.pem"), StandardCharsets.UTF_8).strip());
		// Kite keys do not expire: the TTL and leeway are those of tokens.
		return new KontrolTokens(SampleApp.USERNAME, Duration.ofHours(1), Duration.ofMinutes(5), Clock.systemUTC())
			.kiteKey(username, pair, app.kontrolUrl());
	}

}
