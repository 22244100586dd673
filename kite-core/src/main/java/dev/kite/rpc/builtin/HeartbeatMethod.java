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
 * the previous timer and its close hook. An interval below one second (it crashes Go),
 * NaN, or beyond what Go's {@code time.Duration} holds is refused with
 * {@code argumentError}.
 */
final class HeartbeatMethod implements KiteMethodHandler {

	private static final Logger logger = LoggerFactory.getLogger(HeartbeatMethod.class);

	private static final String TIMER = HeartbeatMethod.class.getName() + ".timer";

	/**
	 * The longest interval Go accepts: {@code time.Duration} holds at most 2^63-1
	 * nanoseconds.
	 */
	static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L;

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
		double requested = interval.asDouble();
		// Go converts with time.Duration(d) * time.Second: whole seconds, in an int64 of
		// nanoseconds. NaN, zero and negative intervals would make a timer spin, larger
		// ones overflow the Duration: refused before anything is scheduled.
		if (Double.isNaN(requested) || requested < 1 || requested >= MAX_SECONDS + 1) {
			throw argumentError("The heartbeat interval must be between 1 and " + MAX_SECONDS + " seconds");
		}
		long seconds = (long) requested; // Go truncates to whole seconds
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
		Heartbeat current = new Heartbeat(timer, session.onClose(() -> timer.cancel(false)));
		Object previous = session.attributes().put(TIMER, current);
		if (previous instanceof Heartbeat old) {
			// One timer and one close hook per connection, however often it is asked.
			old.stop();
		}
		return null;
	}

	/**
	 * A running heartbeat: its timer and the close hook that stops it.
	 */
	private record Heartbeat(ScheduledFuture<?> timer, KiteSession.CloseHook closeHook) {

		void stop() {
			this.timer.cancel(false);
			this.closeHook.remove();
		}

	}

	private static KiteException argumentError(String message) {
		return new KiteException(KiteErrorTypes.ARGUMENT_ERROR, message);
	}

}
