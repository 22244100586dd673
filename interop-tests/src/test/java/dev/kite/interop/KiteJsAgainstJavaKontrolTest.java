package dev.kite.interop;

import java.text.ParseException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The unmodified kite.js 1.0.13 as a client of the stand-alone Java Kontrol
 * ({@code src/test/js/kontrol-client-checks.js}): the sample app registered itself there
 * as {@code interop/test/math} (with a kite key that Kontrol issued); kite.js connects to
 * Kontrol with {@code auth: {type: 'kiteKey'}} — over SockJS at {@code /kite} and over
 * the raw {@code /kite/websocket} — calls {@code getKites}, dials the URL it got over
 * SockJS with {@code auth: {type: 'token'}} and calls {@code squareAuth} and
 * {@code square}; a query nobody registered answers {@code {"kites":[]}}. Over SockJS the
 * same is done through kite.js's own {@code Kontrol} helper ({@code fetchKites},
 * {@code fetchKite}).
 */
@ExtendWith(JavaKontrolExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KiteJsAgainstJavaKontrolTest {

	@ParameterizedTest
	@ValueSource(strings = { "sockjs", "raw" })
	void kiteJsFindsAndCallsTheSelfRegisteredApp(String mode, JavaKontrol kontrol, SampleApp app)
			throws ParseException {
		String kontrolUrl = mode.equals("raw") ? kontrol.rawWebSocketUrl() : kontrol.url();
		NodeScript.Result run = KontrolClientChecks.run(mode, kontrolUrl, kontrol.issueKiteKey("alice"));
		KontrolClientChecks.assertFoundAndCalled(run, mode, app, JavaKontrol.USERNAME,
				kontrol.kontrol().selfKeyPair().id(), "alice");
	}

}
