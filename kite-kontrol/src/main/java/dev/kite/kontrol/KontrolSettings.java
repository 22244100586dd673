package dev.kite.kontrol;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import dev.kite.kontrol.store.KiteStore;
import dev.kite.protocol.Kite;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.TaskScheduler;

/**
 * How a {@link Kontrol} behaves, with the Go Kontrol's defaults (PROTOCOL §6.10). Build
 * one with {@link #builder(String, TaskScheduler)}.
 *
 * @param kite Kontrol's own identity (name {@code kontrol}); its username is the issuer
 * of every token and kite key
 * @param kontrolUrl Kontrol's URL, written as {@code kontrolURL} into the kite keys it
 * issues (empty: omitted)
 * @param tokenTtl how long a token is valid (48 h)
 * @param tokenLeeway how far {@code iat}/{@code nbf} are backdated and {@code exp}
 * extended (5 min)
 * @param heartbeatInterval how often a registered kite pings (10 s; sent as whole
 * seconds)
 * @param heartbeatDelay how long past an interval a ping may be late before the kite
 * counts as gone (20 s; interval + delay is the watchdog)
 * @param updateInterval how often a pinging kite's record is refreshed at most (60 s)
 * @param recordTtl how long a record lives without a refresh (90 s)
 * @param cleanupInterval how often expired records are deleted (120 s)
 * @param heartbeatRequestTimeout how long Kontrol waits for the answer to its
 * {@code kite.heartbeat} request before logging it (4 s)
 * @param deregisterOnDisconnect whether a registration is deleted as soon as its Kontrol
 * connection closes (Go leaves it to expire: {@code getKites} then returns a dead kite
 * for up to 90 s or more)
 * @param clock the time source (tokens, records, watchdogs)
 * @param scheduler runs watchdogs, refreshes, the cleaner and watcher deliveries
 */
public record KontrolSettings(Kite kite, String kontrolUrl, Duration tokenTtl, Duration tokenLeeway,
		Duration heartbeatInterval, Duration heartbeatDelay, Duration updateInterval, Duration recordTtl,
		Duration cleanupInterval, Duration heartbeatRequestTimeout, boolean deregisterOnDisconnect, Clock clock,
		TaskScheduler scheduler) {

	/** Kontrol's kite name. */
	public static final String NAME = "kontrol";

	/** The Go Kontrol binary's default version. */
	public static final String DEFAULT_VERSION = "0.0.1";

	/** How long tokens live (Go's {@code TokenTTL}). */
	public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(48);

	/** The leeway added to a token's lifetime (Go's {@code TokenLeeway}). */
	public static final Duration DEFAULT_TOKEN_LEEWAY = Duration.ofMinutes(5);

	public KontrolSettings {
		Objects.requireNonNull(kite, "kite");
		Objects.requireNonNull(kontrolUrl, "kontrolUrl");
		Objects.requireNonNull(clock, "clock");
		Objects.requireNonNull(scheduler, "scheduler");
		if (kite.username().isEmpty()) {
			throw new IllegalArgumentException("Kontrol needs a username: it is the issuer of its tokens");
		}
		requirePositive(tokenTtl, "tokenTtl");
		requirePositive(heartbeatInterval, "heartbeatInterval");
		requirePositive(heartbeatDelay, "heartbeatDelay");
		requirePositive(updateInterval, "updateInterval");
		requirePositive(recordTtl, "recordTtl");
		requirePositive(cleanupInterval, "cleanupInterval");
		requirePositive(heartbeatRequestTimeout, "heartbeatRequestTimeout");
		if (tokenLeeway == null || tokenLeeway.isNegative() || tokenLeeway.compareTo(tokenTtl) >= 0) {
			throw new IllegalArgumentException("tokenLeeway must be between 0 and tokenTtl");
		}
		if (heartbeatInterval.toSeconds() < 1) {
			// An interval below one second crashes Go kites (PROTOCOL §5).
			throw new IllegalArgumentException("heartbeatInterval must be at least 1 second");
		}
	}

	private static void requirePositive(@Nullable Duration value, String name) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive");
		}
	}

	/** The watchdog: a kite that has not pinged for this long counts as gone. */
	public Duration watchdog() {
		return this.heartbeatInterval.plus(this.heartbeatDelay);
	}

	/**
	 * Settings with the Go defaults.
	 * @param username Kontrol's username (the {@code sub} of its own kite key)
	 * @param scheduler the scheduler; its clock is the default clock
	 * @return a builder
	 */
	public static Builder builder(String username, TaskScheduler scheduler) {
		return new Builder(username, scheduler);
	}

	/** Builds {@link KontrolSettings}; not thread-safe. */
	public static final class Builder {

		private final String username;

		private final TaskScheduler scheduler;

		private String id = Kite.newId();

		private String environment = "unknown";

		private String region = "unknown";

		private String hostname = "localhost";

		private String version = DEFAULT_VERSION;

		private String kontrolUrl = "";

		private Duration tokenTtl = DEFAULT_TOKEN_TTL;

		private Duration tokenLeeway = DEFAULT_TOKEN_LEEWAY;

		private Duration heartbeatInterval = Duration.ofSeconds(10);

		private Duration heartbeatDelay = Duration.ofSeconds(20);

		private Duration updateInterval = Duration.ofSeconds(60);

		private Duration recordTtl = KiteStore.RECORD_TTL;

		private Duration cleanupInterval = Duration.ofSeconds(120);

		private Duration heartbeatRequestTimeout = Duration.ofSeconds(4);

		private boolean deregisterOnDisconnect = true;

		private @Nullable Clock clock;

		private Builder(String username, TaskScheduler scheduler) {
			this.username = Objects.requireNonNull(username, "username");
			this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
		}

		/** Kontrol's kite id (default: a random UUID). */
		public Builder id(String id) {
			this.id = id;
			return this;
		}

		/** Kontrol's environment (default {@code unknown}). */
		public Builder environment(String environment) {
			this.environment = environment;
			return this;
		}

		/** Kontrol's region (default {@code unknown}). */
		public Builder region(String region) {
			this.region = region;
			return this;
		}

		/** Kontrol's hostname (default {@code localhost}). */
		public Builder hostname(String hostname) {
			this.hostname = hostname;
			return this;
		}

		/** Kontrol's version (default {@value KontrolSettings#DEFAULT_VERSION}). */
		public Builder version(String version) {
			this.version = version;
			return this;
		}

		/** Kontrol's URL for the kite keys it issues (default: none). */
		public Builder kontrolUrl(String kontrolUrl) {
			this.kontrolUrl = kontrolUrl;
			return this;
		}

		/** Token lifetime (default 48 h). */
		public Builder tokenTtl(Duration tokenTtl) {
			this.tokenTtl = tokenTtl;
			return this;
		}

		/** Token leeway (default 5 min). */
		public Builder tokenLeeway(Duration tokenLeeway) {
			this.tokenLeeway = tokenLeeway;
			return this;
		}

		/** Heartbeat interval (default 10 s). */
		public Builder heartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
			return this;
		}

		/** Heartbeat delay (default 20 s). */
		public Builder heartbeatDelay(Duration heartbeatDelay) {
			this.heartbeatDelay = heartbeatDelay;
			return this;
		}

		/** Storage refresh interval (default 60 s). */
		public Builder updateInterval(Duration updateInterval) {
			this.updateInterval = updateInterval;
			return this;
		}

		/** Record lifetime without refresh (default 90 s). */
		public Builder recordTtl(Duration recordTtl) {
			this.recordTtl = recordTtl;
			return this;
		}

		/** How often expired records are deleted (default 120 s). */
		public Builder cleanupInterval(Duration cleanupInterval) {
			this.cleanupInterval = cleanupInterval;
			return this;
		}

		/** How long to wait for the answer to {@code kite.heartbeat} (default 4 s). */
		public Builder heartbeatRequestTimeout(Duration heartbeatRequestTimeout) {
			this.heartbeatRequestTimeout = heartbeatRequestTimeout;
			return this;
		}

		/**
		 * Whether a closed Kontrol connection deletes its registration (default true).
		 */
		public Builder deregisterOnDisconnect(boolean deregisterOnDisconnect) {
			this.deregisterOnDisconnect = deregisterOnDisconnect;
			return this;
		}

		/** The time source (default: the scheduler's clock). */
		public Builder clock(Clock clock) {
			this.clock = clock;
			return this;
		}

		/** The settings. */
		public KontrolSettings build() {
			Kite kite = new Kite(NAME, this.username, this.id, this.environment, this.region, this.version,
					this.hostname);
			Clock effectiveClock = (this.clock != null) ? this.clock : this.scheduler.getClock();
			return new KontrolSettings(kite, this.kontrolUrl, this.tokenTtl, this.tokenLeeway, this.heartbeatInterval,
					this.heartbeatDelay, this.updateInterval, this.recordTtl, this.cleanupInterval,
					this.heartbeatRequestTimeout, this.deregisterOnDisconnect, effectiveClock, this.scheduler);
		}

	}

}
