package dev.kite.autoconfigure.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.kite.server.websocket.KiteServerCustomizer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kite.server.allowed-origins} opens the kite to the pages it names (and only
 * those), and {@link KiteServerCustomizer} beans shape the SockJS service.
 */
@SpringBootTest(classes = TestKiteApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "kite.server.allowed-origins=https://*.example.com")
@Import(ConfiguredOriginEndToEndTests.Customizers.class)
class ConfiguredOriginEndToEndTests {

	@LocalServerPort
	int port;

	@Test
	void configuredPatternsAreServedAndOthersRefused() throws Exception {
		String app = "https://app.example.com";
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/kite/websocket", app)) {
			assertThat(raw.status()).isEqualTo(101);
			raw.send(OriginEndToEndTests.PING);
			assertThat(raw.next()).contains("\"result\":\"pong\"");
		}
		HttpResponse<String> open = OriginEndToEndTests.xhr(this.port, "/kite/000/allowed1/xhr", app);
		assertThat(open.statusCode()).isEqualTo(200);
		assertThat(open.headers().firstValue("Access-Control-Allow-Origin")).hasValue(app);
		try (RawWebSocket evil = RawWebSocket.connect(this.port, "/kite/websocket", OriginEndToEndTests.EVIL)) {
			assertThat(evil.status()).isEqualTo(403);
		}
		assertThat(OriginEndToEndTests.xhr(this.port, "/kite/000/refused1/xhr", OriginEndToEndTests.EVIL).statusCode())
			.isEqualTo(403);
	}

	@Test
	void customizerBeansAreAppliedAfterTheSettings() throws Exception {
		// The kite settings turn the session cookie off; the customizer below turns it
		// back on.
		HttpResponse<String> info = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/kite/info")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(info.statusCode()).isEqualTo(200);
		assertThat(info.body()).contains("\"cookie_needed\":true");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Customizers {

		@Bean
		KiteServerCustomizer cookieCustomizer() {
			return (sockJs) -> sockJs.setSessionCookieNeeded(true);
		}

	}

}
