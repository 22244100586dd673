package dev.kite.rpc;

import java.util.List;

import dev.kite.protocol.KiteError;
import dev.kite.protocol.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole {@link KiteExceptionResolver} chain as one resolver that always answers: the
 * given resolvers in order, the first non-null answer wins, then
 * {@link DefaultKiteExceptionResolver}. A resolver that throws is logged and skipped, so
 * a broken resolver can never leave a call unanswered.
 *
 * <p>
 * Thread safety: immutable, provided the resolvers are thread-safe.
 */
public final class CompositeKiteExceptionResolver implements KiteExceptionResolver {

	private static final Logger logger = LoggerFactory.getLogger(CompositeKiteExceptionResolver.class);

	private static final DefaultKiteExceptionResolver DEFAULT_RESOLVER = new DefaultKiteExceptionResolver();

	private final List<KiteExceptionResolver> resolvers;

	/**
	 * @param resolvers resolvers asked before the default one, in order
	 */
	public CompositeKiteExceptionResolver(List<? extends KiteExceptionResolver> resolvers) {
		this.resolvers = List.copyOf(resolvers);
	}

	@Override
	public KiteError resolve(Throwable failure, KiteRequest request) {
		for (KiteExceptionResolver resolver : this.resolvers) {
			try {
				KiteError error = resolver.resolve(failure, request);
				if (error != null) {
					return error;
				}
			}
			catch (RuntimeException ex) {
				logger.error("Exception resolver {} failed for request {}", resolver, LogSafe.of(request.requestId()),
						ex);
			}
		}
		return DEFAULT_RESOLVER.resolve(failure, request);
	}

}
