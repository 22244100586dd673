package dev.kite.sample;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.kite.annotation.KiteMethod;
import dev.kite.autoconfigure.KiteAutoConfiguration;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.rpc.KitePeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The server calling its caller: {@code demo.pushes(count)} answers at once, then calls
 * the {@code notify(message)} method that the caller exposes on the same connection (the
 * page at {@code /} does, as a kite.js {@code api} method), {@code count} times, each
 * after the caller answered the previous one.
 *
 * <p>
 * The pushes run on the kite executor, not on the thread serving {@code demo.pushes};
 * each {@link KitePeer#call} is bounded by the peer's default timeout, and a push that
 * fails (the page closed, timed out) ends the series.
 */
@Component
public class PushDemoKite {

	/** At most this many pushes per call. */
	public static final int MAX_PUSHES = 20;

	private static final Logger logger = LoggerFactory.getLogger(PushDemoKite.class);

	private final Executor executor;

	PushDemoKite(@Qualifier(KiteAutoConfiguration.EXECUTOR_BEAN_NAME) Executor executor) {
		this.executor = executor;
	}

	/**
	 * {@code demo.pushes(count)}: anyone may call it.
	 * @param count how many times to call the caller's {@code notify}, 1 to
	 * {@value #MAX_PUSHES}
	 * @param caller the caller, as a kite this one can call
	 * @return the count, before the first push is sent
	 */
	@KiteMethod(value = "demo.pushes", authenticated = false)
	public int pushes(int count, KitePeer caller) {
		if (count < 1 || count > MAX_PUSHES) {
			throw new KiteException(KiteErrorTypes.ARGUMENT_ERROR,
					"count must be from 1 to " + MAX_PUSHES + ", not " + count);
		}
		CompletableFuture<JsonNode> series = CompletableFuture.supplyAsync(() -> null, this.executor);
		for (int i = 1; i <= count; i++) {
			String message = "push " + i + " of " + count;
			series = series.thenCompose((previous) -> caller.call("notify", message));
		}
		series.whenComplete((last, failure) -> {
			if (failure != null) {
				logger.info("Pushes to {} ended early: {}", caller, failure.getMessage());
			}
		});
		return count;
	}

}
