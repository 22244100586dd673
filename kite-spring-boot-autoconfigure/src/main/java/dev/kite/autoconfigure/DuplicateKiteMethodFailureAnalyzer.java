package dev.kite.autoconfigure;

import dev.kite.rpc.DuplicateKiteMethodException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup that failed because two kite methods share a wire name: which name,
 * where both come from, and how to resolve it. Registered in
 * {@code META-INF/spring.factories}.
 */
class DuplicateKiteMethodFailureAnalyzer extends AbstractFailureAnalyzer<DuplicateKiteMethodException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DuplicateKiteMethodException cause) {
		String description = "Two kite methods are named '" + cause.getMethodName() + "':\n\n\t- "
				+ cause.getExistingSource() + "\n\t- " + cause.getDuplicateSource()
				+ "\n\nA kite serves one method per name, so a caller could not tell which one it calls.";
		String action = "Give one of them another name (@KiteMethod(\"...\")), or remove one of the beans."
				+ (cause.getMethodName().startsWith("kite.")
						? " Names starting with 'kite.' are the built-ins' (kite.ping, kite.heartbeat, kite.systemInfo,"
								+ " kite.log); to serve your own, register the built-ins yourself by declaring a bean"
								+ " named '" + KiteServerAutoConfiguration.BUILTIN_METHODS_REGISTRAR_BEAN_NAME + "'."
						: "");
		return new FailureAnalysis(description, action, cause);
	}

}
