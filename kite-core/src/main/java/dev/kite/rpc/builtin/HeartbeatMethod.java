package dev.kite.rpc.builtin;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import dev.kite.dnode.DnodeSendException;
import dev.kite.dnode.DnodeTrees;
import dev.kite.dnode.RemoteCallback;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.LogSafe;
import dev.kite.rpc.KiteInvocation;
import dev.kite.rpc.KiteMethodHandler;
import dev.kite.rpc.KiteSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import tools.jackson.databind.JsonNode;

/**
 * {@code kite.heartbeat [intervalSeconds, pingFn]}: calls {@code pingFn()} once before
 * answering, then every interval, until the connection closes (PROTOCOL §5). Kontrol uses
 * it to watch the kites registered with it. A new request on the same connection replaces
 * the previous timer. An interval below one second is refused (it crashes Go).
 */
final class HeartbeatMethod implements KiteMethodHandler {

	private static final Logger logger = LoggerFactory.getLogger(HeartbeatMethod.class);

	private static final String TIMER = HeartbeatMethod.class.getName() + ".timer";

	private final TaskScheduler scheduler;

	HeartbeatMethod(TaskScheduler scheduler) {
		this.scheduler = scheduler;
	}

	@Override
	public @Nullable Object handle(KiteInvocation invocation) {
		JsonNode interval = invocation.argument(0);
		if (interval == null || !interval.isNumber()) {
			throw argumentError("Argument 0 of kite.heartbeat must be the interval in seconds");
		}
		long seconds = (long) interval.asDouble(); // Go truncates to whole seconds
		if (seconds < 1) {
			throw argumentError("The heartbeat interval must be at least 1 second");
		}
		RemoteCallback ping = DnodeTrees.callbackAt(invocation.argument(1));
		if (ping == null) {
			throw argumentError("Argument 1 of kite.heartbeat must be a function");
		}
		KiteSession session = invocation.session();
		ping.call();
		session.attributes().put(BuiltinKiteMethods.LAST_HEARTBEAT_ATTRIBUTE, this.scheduler.getClock().instant());
		ScheduledFuture<?>[] holder = new ScheduledFuture<?>[1];
		Runnable beat = () -> {
			try {
				ping.call();
				session.attributes()
					.put(BuiltinKiteMethods.LAST_HEARTBEAT_ATTRIBUTE, this.scheduler.getClock().instant());
			}
			catch (DnodeSendException ex) {
				logger.debug("Stopping the heartbeat of session {}: {}", LogSafe.of(session.id()),
						LogSafe.of(ex.getMessage()));
				ScheduledFuture<?> self = holder[0];
				if (self != null) {
					self.cancel(false);
				}
			}
		};
		Duration period = Duration.ofSeconds(seconds);
		ScheduledFuture<?> timer = this.scheduler.scheduleAtFixedRate(beat,
				this.scheduler.getClock().instant().plus(period), period);
		holder[0] = timer;
		Object previous = session.attributes().put(TIMER, timer);
		if (previous instanceof ScheduledFuture<?> old) {
			old.cancel(false);
		}
		session.onClose(() -> timer.cancel(false));
		return null;
	}

	private static KiteException argumentError(String message) {
		return new KiteException(KiteErrorTypes.ARGUMENT_ERROR, message);
	}

}
