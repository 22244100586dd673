package dev.kite.interop;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one {@link JavaKontrol} and one {@link SampleApp} registered with it (the
 * app started with a kite key that Kontrol issued, {@code --kite.kontrol.url} and its
 * embedded Kontrol off: {@link SampleApp#startRegisteringWith}), not the app of
 * {@link SampleAppExtension}. Both are started on first use — Kontrol first, then the
 * app, then the wait for the app's first heartbeat ping at Kontrol — kept in the root
 * context's store (shared by every test class using this extension), and closed — the app
 * killed, then Tomcat and Kontrol stopped — when the whole run ends. Use with
 * {@code @ExtendWith(JavaKontrolExtension.class)} and {@code JavaKontrol} and/or
 * {@code SampleApp} parameters; do not combine with {@link SampleAppExtension} in one
 * class (both resolve {@code SampleApp}).
 */
public final class JavaKontrolExtension implements ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(JavaKontrolExtension.class);

	private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(30);

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return type == JavaKontrol.class || type == SampleApp.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Setup setup = setup(extensionContext);
		return (parameterContext.getParameter().getType() == JavaKontrol.class) ? setup.kontrol() : setup.app();
	}

	private static Setup setup(ExtensionContext context) {
		// AutoCloseable values of the root store are closed when the test run ends.
		return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Setup.class, (key) -> Setup.start(), Setup.class);
	}

	/** The Kontrol and the app registered with it. */
	record Setup(JavaKontrol kontrol, SampleApp app) implements AutoCloseable {

		static Setup start() {
			JavaKontrol kontrol = JavaKontrol.start();
			SampleApp app;
			try {
				app = SampleApp.startRegisteringWith(kontrol);
			}
			catch (RuntimeException | Error ex) {
				kontrol.close();
				throw ex;
			}
			Setup setup = new Setup(kontrol, app);
			try {
				// The first ping refreshes the record at once (PROTOCOL §6.3): the app
				// registered and answered Kontrol's kite.heartbeat.
				String id = app.kiteId();
				Awaitility.await("first heartbeat ping of the app's kite " + id)
					.atMost(REGISTRATION_TIMEOUT)
					.until(() -> kontrol.refreshes(id) > 0);
			}
			catch (ConditionTimeoutException ex) {
				String tail = app.logTail(30);
				setup.close();
				throw new IllegalStateException("The sample app did not register with " + kontrol + " within "
						+ REGISTRATION_TIMEOUT.toSeconds() + " s. Log tail:\n" + tail, ex);
			}
			catch (RuntimeException | Error ex) {
				setup.close();
				throw ex;
			}
			return setup;
		}

		@Override
		public void close() {
			try {
				this.app.close();
			}
			finally {
				this.kontrol.close();
			}
		}

	}

}
