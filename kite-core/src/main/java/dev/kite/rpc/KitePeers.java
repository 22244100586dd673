package dev.kite.rpc;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import dev.kite.protocol.Kite;
import org.springframework.scheduling.TaskScheduler;

/**
 * Makes the {@link KitePeer} of a connection: what every peer call shares (this kite's
 * identity, the scheduler that bounds each call, the executor that completes the futures,
 * the default timeout).
 *
 * <p>
 * Thread safety: immutable; any thread may call {@link #of(KiteSession)}.
 */
public final class KitePeers {

	/** The timeout of a call without its own: 15 s, as for the client's calls. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

	private final Supplier<Kite> localKite;

	private final TaskScheduler scheduler;

	private final Executor executor;

	private final Duration defaultTimeout;

	/**
	 * @param localKite this kite's identity, sent as the {@code kite} of each call (read
	 * per call, so a username learned later is used)
	 * @param scheduler runs the timeouts
	 * @param executor completes the futures (never the network or callback thread)
	 * @param defaultTimeout the timeout of a call without its own; positive
	 */
	public KitePeers(Supplier<Kite> localKite, TaskScheduler scheduler, Executor executor, Duration defaultTimeout) {
		if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
			throw new IllegalArgumentException("defaultTimeout must be positive, was " + defaultTimeout);
		}
		this.localKite = Objects.requireNonNull(localKite);
		this.scheduler = Objects.requireNonNull(scheduler);
		this.executor = Objects.requireNonNull(executor);
		this.defaultTimeout = defaultTimeout;
	}

	/**
	 * The peer at the other end of a connection.
	 * @param session the connection
	 * @return its peer
	 */
	public KitePeer of(KiteSession session) {
		return new KitePeer(session, this);
	}

	Kite localKite() {
		return this.localKite.get();
	}

	TaskScheduler scheduler() {
		return this.scheduler;
	}

	Executor executor() {
		return this.executor;
	}

	Duration defaultTimeout() {
		return this.defaultTimeout;
	}

}
