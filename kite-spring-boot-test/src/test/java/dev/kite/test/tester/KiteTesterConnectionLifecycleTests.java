package dev.kite.test.tester;

import dev.kite.client.KiteConnection;
import dev.kite.test.app.TestKiteApplication;
import dev.kite.test.autoconfigure.AutoConfigureEmbeddedKontrol;
import dev.kite.test.autoconfigure.AutoConfigureKiteTester;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tester's connections are closed after each test method (by
 * {@link dev.kite.test.autoconfigure.KiteTesterTestExecutionListener}), and the next test
 * dials a new one.
 */
@SpringBootTest(classes = TestKiteApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureKiteTester
@AutoConfigureEmbeddedKontrol
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KiteTesterConnectionLifecycleTests {

	private static @Nullable KiteConnection firstTestsConnection;

	@Autowired
	KiteTester tester;

	@Test
	@Order(1)
	void opensAConnection() {
		this.tester.call("square", 2).result(Double.class).isEqualTo(4.0);
		firstTestsConnection = this.tester.connection();
		assertThat(firstTestsConnection.isConnected()).isTrue();
	}

	@Test
	@Order(2)
	void findsItClosedInTheNextTest() {
		assertThat(firstTestsConnection).isNotNull();
		assertThat(firstTestsConnection.isClosed()).isTrue();
		this.tester.call("square", 3).result(Double.class).isEqualTo(9.0);
		assertThat(this.tester.connection()).isNotSameAs(firstTestsConnection);
	}

}
