package dev.kite.server.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the kite endpoint is served: its path, which browser origins may use it, and the
 * SockJS timing and buffering. Immutable; build with {@link #builder()}.
 *
 * @param path the SockJS base path, e.g. {@code /kite}; starts with {@code /}, does not
 * end with it
 * @param allowedOriginPatterns origin patterns of browser pages allowed to connect; empty
 * allows same-origin pages only (requests without an {@code Origin} header, i.e. Go, Java
 * and Node clients, are always allowed)
 * @param webSocketEnabled whether the SockJS WebSocket transport and the raw
 * {@code path/websocket} are served (otherwise XHR only)
 * @param heartbeatTime how often an idle SockJS session gets a heartbeat frame
 * @param disconnectDelay how long an XHR session may go without a poll before it is
 * closed
 * @param httpMessageCacheSize how many replies an XHR session holds for its next poll
 * @param httpMessageCacheByteLimit how many bytes of replies an XHR session holds for its
 * next poll (counted as characters); more closes that session
 * @param xhrHandoverTimeout how long an XHR poll waits for the previous poll of its
 * session to finish handing over (its frame written, its response completing) before
 * Spring answers it with 2010 (Go's client polls again before reading the end of the
 * previous response); a poll overlapping one that is still waiting gets 2010 at once
 * @param maxSessionsPerAddress how many SockJS sessions one remote address may have open;
 * a new one beyond it is refused with 503
 */
public record KiteEndpointSettings(String path, List<String> allowedOriginPatterns, boolean webSocketEnabled,
		Duration heartbeatTime, Duration disconnectDelay, int httpMessageCacheSize, long httpMessageCacheByteLimit,
		Duration xhrHandoverTimeout, int maxSessionsPerAddress) {

	/** Validates the settings and copies the origin list. */
	public KiteEndpointSettings {
		if (!path.startsWith("/") || path.endsWith("/")) {
			throw new IllegalArgumentException("path must start with '/' and not end with '/': " + path);
		}
		allowedOriginPatterns = List.copyOf(allowedOriginPatterns);
		requirePositive("heartbeatTime", heartbeatTime);
		requirePositive("disconnectDelay", disconnectDelay);
		if (xhrHandoverTimeout.isNegative()) {
			throw new IllegalArgumentException("xhrHandoverTimeout must not be negative: " + xhrHandoverTimeout);
		}
		if (httpMessageCacheSize < 1) {
			throw new IllegalArgumentException("httpMessageCacheSize must be positive: " + httpMessageCacheSize);
		}
		if (maxSessionsPerAddress < 1) {
			throw new IllegalArgumentException("maxSessionsPerAddress must be positive: " + maxSessionsPerAddress);
		}
		if (httpMessageCacheByteLimit < 1) {
			throw new IllegalArgumentException(
					"httpMessageCacheByteLimit must be positive: " + httpMessageCacheByteLimit);
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive: " + value);
		}
	}

	/**
	 * Starts from the defaults: {@code /kite}, same-origin browsers only, WebSocket on,
	 * 10 s heartbeat (Go's: its XHR client polls again after 15 s without a byte), 10 s
	 * disconnect delay (Go's), 10,000 replies or 4 MiB per XHR session, 500 ms XHR
	 * handover, 1,000 SockJS sessions per remote address.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/** Builds {@link KiteEndpointSettings}; not thread-safe. */
	public static final class Builder {

		private String path = "/kite";

		private List<String> allowedOriginPatterns = new ArrayList<>();

		private boolean webSocketEnabled = true;

		private Duration heartbeatTime = Duration.ofSeconds(10);

		private Duration disconnectDelay = Duration.ofSeconds(10);

		private int httpMessageCacheSize = 10_000;

		private long httpMessageCacheByteLimit = 4L * 1024 * 1024;

		private Duration xhrHandoverTimeout = Duration.ofMillis(500);

		private int maxSessionsPerAddress = 1000;

		private Builder() {
		}

		/** See {@link KiteEndpointSettings#path()}. */
		public Builder path(String path) {
			this.path = path;
			return this;
		}

		/** See {@link KiteEndpointSettings#allowedOriginPatterns()}. */
		public Builder allowedOriginPatterns(List<String> allowedOriginPatterns) {
			this.allowedOriginPatterns = new ArrayList<>(allowedOriginPatterns);
			return this;
		}

		/** See {@link KiteEndpointSettings#webSocketEnabled()}. */
		public Builder webSocketEnabled(boolean webSocketEnabled) {
			this.webSocketEnabled = webSocketEnabled;
			return this;
		}

		/** See {@link KiteEndpointSettings#heartbeatTime()}. */
		public Builder heartbeatTime(Duration heartbeatTime) {
			this.heartbeatTime = heartbeatTime;
			return this;
		}

		/** See {@link KiteEndpointSettings#disconnectDelay()}. */
		public Builder disconnectDelay(Duration disconnectDelay) {
			this.disconnectDelay = disconnectDelay;
			return this;
		}

		/** See {@link KiteEndpointSettings#httpMessageCacheSize()}. */
		public Builder httpMessageCacheSize(int httpMessageCacheSize) {
			this.httpMessageCacheSize = httpMessageCacheSize;
			return this;
		}

		/** See {@link KiteEndpointSettings#httpMessageCacheByteLimit()}. */
		public Builder httpMessageCacheByteLimit(long httpMessageCacheByteLimit) {
			this.httpMessageCacheByteLimit = httpMessageCacheByteLimit;
			return this;
		}

		/** See {@link KiteEndpointSettings#xhrHandoverTimeout()}. */
		public Builder xhrHandoverTimeout(Duration xhrHandoverTimeout) {
			this.xhrHandoverTimeout = xhrHandoverTimeout;
			return this;
		}

		/** See {@link KiteEndpointSettings#maxSessionsPerAddress()}. */
		public Builder maxSessionsPerAddress(int maxSessionsPerAddress) {
			this.maxSessionsPerAddress = maxSessionsPerAddress;
			return this;
		}

		/** Builds and validates the settings. */
		public KiteEndpointSettings build() {
			return new KiteEndpointSettings(this.path, this.allowedOriginPatterns, this.webSocketEnabled,
					this.heartbeatTime, this.disconnectDelay, this.httpMessageCacheSize, this.httpMessageCacheByteLimit,
					this.xhrHandoverTimeout, this.maxSessionsPerAddress);
		}

	}

}
