package dev.kite.autoconfigure.client;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.kite.client.declarative.EnableKiteClients;
import dev.kite.autoconfigure.e2e.TestKiteApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kite served over HTTPS with a self-signed certificate made for the test, called by a
 * client application that trusts it through a Spring Boot SSL bundle
 * ({@code kite.clients.math.ssl.bundle}).
 */
class KiteClientTlsEndToEndTests {

	@TempDir
	static Path dir;

	static ConfigurableApplicationContext server;

	static Path keystore;

	@BeforeAll
	static void startHttpsKite() throws Exception {
		keystore = dir.resolve("kite.p12");
		Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "kite", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname",
				"CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore",
				keystore.toString(), "-storepass", "secret", "-keypass", "secret")
			.redirectErrorStream(true)
			.start();
		assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
		server = new SpringApplicationBuilder(TestKiteApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "server.ssl.bundle=served",
					"spring.ssl.bundle.jks.served.keystore.location=file:" + keystore,
					"spring.ssl.bundle.jks.served.keystore.password=secret",
					"spring.ssl.bundle.jks.served.keystore.type=PKCS12", "spring.main.banner-mode=off")
			.run();
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "websocket", "xhr-polling" })
	void callsAnHttpsKiteThroughAnSslBundle(String transport) {
		String port = server.getEnvironment().getProperty("local.server.port");
		try (ConfigurableApplicationContext client = new SpringApplicationBuilder(TlsClientApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "kite.clients.math.url=https://127.0.0.1:" + port + "/kite",
					"kite.clients.math.transport=" + transport, "kite.clients.math.ssl.bundle=trusted",
					"spring.ssl.bundle.jks.trusted.truststore.location=file:" + keystore,
					"spring.ssl.bundle.jks.trusted.truststore.password=secret",
					"spring.ssl.bundle.jks.trusted.truststore.type=PKCS12")
			.run()) {
			assertThat(client.getBean(MathClient.class).squareNow(7)).isEqualTo(49.0);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableKiteClients
	static class TlsClientApplication {

	}

}
