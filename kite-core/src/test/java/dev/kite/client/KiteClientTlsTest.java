package dev.kite.client;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.kite.rpc.KiteMethodRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * https/wss with a self-signed certificate: trusted through a supplied SSLContext,
 * refused with the JVM's default trust store.
 */
class KiteClientTlsTest {

	@TempDir
	static Path directory;

	private static TestKiteServer server;

	private static SSLContext trustingServer;

	private static KiteClientFactory factory;

	@BeforeAll
	static void start() throws Exception {
		Path keyStore = directory.resolve("server.p12");
		Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "kite", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname",
				"CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore",
				keyStore.toString(), "-storepass", TestKiteServer.KEY_STORE_PASSWORD, "-keypass",
				TestKiteServer.KEY_STORE_PASSWORD)
			.redirectErrorStream(true)
			.start();
		assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

		KeyStore trusted = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keyStore)) {
			trusted.load(in, TestKiteServer.KEY_STORE_PASSWORD.toCharArray());
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusted);
		trustingServer = SSLContext.getInstance("TLS");
		trustingServer.init(null, trust.getTrustManagers(), null);

		KiteMethodRegistry methods = TestKiteServer.registry();
		TestKiteServer.method(methods, "square", (inv) -> inv.argument(0).asInt() * inv.argument(0).asInt());
		server = TestKiteServer.startTls(methods, keyStore);
		factory = KiteClientFactory.builder().build();
	}

	@AfterAll
	static void stop() throws Exception {
		factory.close();
		server.close();
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "XHR_POLLING", "RAW_WEBSOCKET" })
	void suppliedSslContextTrustsTheServer(Transport transport) throws Exception {
		assertThat(server.url()).startsWith("https://");
		KiteConnection client = factory
			.create(KiteClientOptions.builder(server.url()).transport(transport).sslContext(trustingServer).build());
		try {
			client.connect().get(20, TimeUnit.SECONDS);
			assertThat(client.call("square", Integer.class, 11).get(10, TimeUnit.SECONDS)).isEqualTo(121);
		}
		finally {
			client.close();
		}
	}

	@Test
	void defaultTrustStoreRefusesASelfSignedServer() {
		KiteConnection client = factory
			.create(KiteClientOptions.builder(server.url()).transport(Transport.RAW_WEBSOCKET).build());
		try {
			assertThatThrownBy(() -> client.connect().get(20, TimeUnit.SECONDS))
				.hasCauseInstanceOf(KiteConnectException.class);
		}
		finally {
			client.close();
		}
	}

}
