package dev.kite.test.autoconfigure;

import dev.kite.test.tester.KiteTester;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Closes the connections of every {@link KiteTester} bean after each test method, so a
 * test never sees another test's connection state (a callback registered, a session
 * closed by the kite). Only for contexts that were loaded: it never starts one.
 * Registered in {@code META-INF/spring.factories}.
 */
public class KiteTesterTestExecutionListener implements TestExecutionListener, Ordered {

	@Override
	public int getOrder() {
		// Late (after the test's own afterEach work), but before DirtiesContext closes
		// the
		// context.
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		for (KiteTester tester : context.getBeanProvider(KiteTester.class)) {
			tester.closeConnections();
		}
	}

}
