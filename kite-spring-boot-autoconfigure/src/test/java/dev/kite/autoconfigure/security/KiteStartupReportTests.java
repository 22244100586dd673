package dev.kite.autoconfigure.security;

import dev.kite.autoconfigure.e2e.TestKiteApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The startup report: one INFO line saying what is served where, and a WARN when methods
 * need authentication nobody can provide.
 */
@ExtendWith(OutputCaptureExtension.class)
class KiteStartupReportTests {

	@Test
	void saysWhatIsServedWhereAndWarnsWhenAuthenticatedMethodsCannotBeCalled(CapturedOutput output) {
		try (ConfigurableApplicationContext app = run("kite.name=reporter", "kite.username=devrim",
				"kite.environment=test", "kite.region=eu", "kite.hostname=worker-1")) {
			String port = app.getEnvironment().getProperty("local.server.port");
			String info = line(output, "serving at");
			assertThat(info).contains("INFO")
				.contains("Kite /devrim/test/reporter/1.0.0/eu/worker-1/")
				.contains("http://127.0.0.1:" + port + "/kite (SockJS)")
				.contains("ws://127.0.0.1:" + port + "/kite/websocket (raw WebSocket)")
				.containsPattern("methods \\[.*kite\\.ping.*square.*\\]")
				.containsPattern(
						"authentication required by \\[kite\\.heartbeat, kite\\.log, kite\\.systemInfo, secret\\]");
			String warn = line(output, "require authentication, but this kite trusts no Kontrol key");
			assertThat(warn).contains("WARN").contains("[secret]").doesNotContain("kite.heartbeat");
		}
	}

	@Test
	void doesNotWarnWhenAKontrolKeyIsTrusted(CapturedOutput output) {
		try (ConfigurableApplicationContext app = run("kite.kontrol.key=" + new KontrolKeys().publicPem)) {
			assertThat(line(output, "serving at")).contains("authentication required by");
			assertThat(output.getOut()).doesNotContain("trusts no Kontrol key");
		}
	}

	@Test
	void doesNotWarnWhenAuthenticationIsDisabled(CapturedOutput output) {
		try (ConfigurableApplicationContext app = run("kite.server.authentication.enabled=false")) {
			assertThat(line(output, "serving at")).contains("authentication required by []");
			assertThat(output.getOut()).doesNotContain("trusts no Kontrol key");
		}
	}

	private static ConfigurableApplicationContext run(String... properties) {
		return new SpringApplicationBuilder(TestKiteApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	private static String line(CapturedOutput output, String text) {
		return output.getOut()
			.lines()
			.filter((line) -> line.contains(text))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No log line containing '" + text + "' in:\n" + output.getOut()));
	}

}
