package dev.kite.autoconfigure.client;

import dev.kite.autoconfigure.e2e.TestKiteApplication;
import dev.kite.client.KiteClients;
import dev.kite.client.KiteConnection;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A random-port application whose named client calls its own server: the client's URL
 * names {@code ${local.server.port}}, known only once the server has started.
 */
@SpringBootTest(classes = TestKiteApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "kite.clients.self.url=http://127.0.0.1:${local.server.port}/kite")
class KiteClientOfItsOwnServerTests {

	@Autowired
	@Qualifier("self")
	KiteConnection self;

	@Autowired
	KiteClients clients;

	@Test
	void aNamedClientCallsItsOwnServer() {
		assertThat(this.self.method("square").args(4).await(Double.class)).isEqualTo(16.0);
		assertThat(this.clients.client("self")).isSameAs(this.self);
		assertThat(this.self.options().url().getPort()).isPositive();
	}

}
