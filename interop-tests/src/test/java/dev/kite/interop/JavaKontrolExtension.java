package dev.kite.interop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.kite.kontrol.KontrolKeys;
import dev.kite.kontrol.store.KontrolKeyPair;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one {@link JavaKontrol} and one {@link SampleApp} that trusts it
 * ({@code --kite.kontrol.user}/{@code --kite.kontrol.key} of that Kontrol, not the
 * {@link TestKontrol} of {@link SampleAppExtension}'s app): both started on first use,
 * kept in the root context's store (shared by every test class using this extension), and
 * closed — the app killed, then Tomcat and Kontrol stopped — when the whole run ends. Use
 * with {@code @ExtendWith(JavaKontrolExtension.class)} and {@code JavaKontrol} and/or
 * {@code SampleApp} parameters; do not combine with {@link SampleAppExtension} in one
 * class (both resolve {@code SampleApp}).
 *
 * <p>
 * The app does not register itself: tests register its URL on its behalf and deregister
 * it before they end, so every test starts with an empty registry.
 */
public final class JavaKontrolExtension implements ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(JavaKontrolExtension.class);

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

	/** The Kontrol and the app that trusts it. */
	record Setup(JavaKontrol kontrol, SampleApp app) implements AutoCloseable {

		static Setup start() {
			// Both take seconds: the app (a JVM) starts while Kontrol's Tomcat does.
			KontrolKeyPair keys = KontrolKeys.generate();
			CompletableFuture<JavaKontrol> kontrol = CompletableFuture.supplyAsync(() -> JavaKontrol.start(keys));
			SampleApp app;
			try {
				app = SampleApp.start(JavaKontrol.USERNAME, keys.publicKey());
			}
			catch (RuntimeException | Error ex) {
				kontrol.thenAccept(JavaKontrol::close);
				throw ex;
			}
			try {
				return new Setup(kontrol.get(60, TimeUnit.SECONDS), app);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				app.close();
				throw new IllegalStateException("Interrupted while starting the Java Kontrol", ex);
			}
			catch (ExecutionException | TimeoutException ex) {
				app.close();
				kontrol.thenAccept(JavaKontrol::close);
				throw new IllegalStateException("The Java Kontrol did not start within 60 s", ex);
			}
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
