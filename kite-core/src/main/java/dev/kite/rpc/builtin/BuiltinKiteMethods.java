package dev.kite.rpc.builtin;

import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.LogSafe;
import dev.kite.rpc.KiteInvocation;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import tools.jackson.databind.JsonNode;

/**
 * Registers the built-in methods on a registry.
 */
public final class BuiltinKiteMethods {

	/**
	 * The logger {@code kite.log} writes to, so operators can route remote logs on their
	 * own.
	 */
	public static final String REMOTE_LOG_CATEGORY = "dev.kite.remote";

	/**
	 * The {@link dev.kite.rpc.KiteSession#attributes() session attribute} holding the
	 * {@link java.time.Instant} of the last ping {@code kite.heartbeat} sent on that
	 * session (how a registered kite knows its Kontrol still hears from it).
	 */
	public static final String LAST_HEARTBEAT_ATTRIBUTE = BuiltinKiteMethods.class.getName() + ".lastHeartbeat";

	/** How much of one remote log message is kept; longer messages are cut. */
	private static final int REMOTE_LOG_MAX_LENGTH = 8192;

	private static final Logger remoteLog = LoggerFactory.getLogger(REMOTE_LOG_CATEGORY);

	private BuiltinKiteMethods() {
	}

	/**
	 * Registers {@code kite.ping} (no authentication, answers {@code "pong"}),
	 * {@code kite.heartbeat}, {@code kite.systemInfo} and {@code kite.log}.
	 * @param registry where to register
	 * @param scheduler runs heartbeat pings
	 */
	public static void registerAll(KiteMethodRegistry registry, TaskScheduler scheduler) {
		registry.register(new KiteMethodDefinition("kite.ping", (invocation) -> "pong", false, "built-in"));
		registry.register(new KiteMethodDefinition("kite.heartbeat", new HeartbeatMethod(scheduler), true, "built-in"));
		registry
			.register(new KiteMethodDefinition("kite.systemInfo", (invocation) -> SystemInfo.read(), true, "built-in"));
		registry.register(new KiteMethodDefinition("kite.log", BuiltinKiteMethods::log, true, "built-in"));
	}

	private static @Nullable Object log(KiteInvocation invocation) {
		JsonNode message = invocation.argument(0);
		if (message == null || !message.isString()) {
			throw new KiteException(KiteErrorTypes.ARGUMENT_ERROR, "Argument 0 of kite.log must be a string");
		}
		remoteLog.info("{}: {}", LogSafe.of(invocation.request().caller().name()),
				LogSafe.of(message.stringValue(), REMOTE_LOG_MAX_LENGTH));
		return null;
	}

}
