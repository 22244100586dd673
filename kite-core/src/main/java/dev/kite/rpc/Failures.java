package dev.kite.rpc;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Shared handling of failures on both ends of a connection.
 *
 * <p>
 * Thread safety: stateless.
 */
public final class Failures {

	private Failures() {
	}

	/**
	 * The failure a wrapper stands for: peels {@link CompletionException},
	 * {@link ExecutionException} and {@link InvocationTargetException} (reflection,
	 * futures) until something else, or a wrapper without a cause, is left. Resolvers,
	 * interceptors and callers see what the code threw.
	 * @param failure a failure
	 * @return the innermost failure that is not a bare wrapper
	 */
	public static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while ((current instanceof CompletionException || current instanceof ExecutionException
				|| current instanceof InvocationTargetException) && current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

}
