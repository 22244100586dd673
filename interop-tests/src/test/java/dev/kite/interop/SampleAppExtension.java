package dev.kite.interop;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the one {@link SampleApp} of this test run: started on first use, kept in
 * the root context's store (shared by every test class), and closed — the process killed
 * — when the whole run ends. Use with {@code @ExtendWith(SampleAppExtension.class)} and a
 * {@code SampleApp} parameter.
 */
public final class SampleAppExtension implements ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(SampleAppExtension.class);

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == SampleApp.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return app(extensionContext);
	}

	/** The shared app, started if this is the first request. */
	static SampleApp app(ExtensionContext context) {
		// AutoCloseable values of the root store are closed when the test run ends.
		return context.getRoot()
			.getStore(NAMESPACE)
			.computeIfAbsent(SampleApp.class, (key) -> SampleApp.start(), SampleApp.class);
	}

}
