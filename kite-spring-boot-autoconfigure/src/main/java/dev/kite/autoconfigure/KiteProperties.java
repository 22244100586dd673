package dev.kite.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of a kite, under {@code kite.*}.
 */
@ConfigurationProperties("kite")
public class KiteProperties {

	/**
	 * The kite's name, as callers and Kontrol see it. Defaults to spring.application.name, else
	 * "kite".
	 */
	private @Nullable String name;

	/**
	 * The kite's version: exactly three dot-separated numbers, as the Go kite requires.
	 */
	private String version = "1.0.0";

	/**
	 * The owner's username.
	 */
	private String username = "unknown";

	/**
	 * The environment the kite runs in, e.g. production.
	 */
	private String environment = "unknown";

	/**
	 * The region the kite runs in.
	 */
	private String region = "unknown";

	/**
	 * The host name the kite reports. Defaults to the local host's name.
	 */
	private @Nullable String hostname;

	private final Server server = new Server();

	public @Nullable String getName() {
		return this.name;
	}

	public void setName(@Nullable String name) {
		this.name = name;
	}

	public String getVersion() {
		return this.version;
	}

	public void setVersion(String version) {
		this.version = version;
	}

	public String getUsername() {
		return this.username;
	}

	public void setUsername(String username) {
		this.username = username;
	}

	public String getEnvironment() {
		return this.environment;
	}

	public void setEnvironment(String environment) {
		this.environment = environment;
	}

	public String getRegion() {
		return this.region;
	}

	public void setRegion(String region) {
		this.region = region;
	}

	public @Nullable String getHostname() {
		return this.hostname;
	}

	public void setHostname(@Nullable String hostname) {
		this.hostname = hostname;
	}

	public Server getServer() {
		return this.server;
	}

	/**
	 * The kite endpoint.
	 */
	public static class Server {

		/**
		 * Whether to serve kite methods on this application's web server.
		 */
		private boolean enabled = true;

		/**
		 * The SockJS base path of the endpoint. Go kites always use /kite.
		 */
		private String path = "/kite";

		/**
		 * Origin patterns allowed to connect. "*" (any origin) matches Go and kite.js behaviour;
		 * tighten it for browser-facing kites.
		 */
		private List<String> allowedOrigins = new ArrayList<>(List.of("*"));

		/**
		 * The largest incoming dnode message. A larger one closes the session with 1009.
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(1);

		/**
		 * How long one outgoing message may take to send before the session is closed.
		 */
		private Duration sendTimeLimit = Duration.ofSeconds(10);

		/**
		 * How much outgoing data may wait for a slow peer before the session is closed.
		 */
		private DataSize sendBufferSizeLimit = DataSize.ofMegabytes(4);

		private final Sockjs sockjs = new Sockjs();

		private final Executor executor = new Executor();

		private final Authentication authentication = new Authentication();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public List<String> getAllowedOrigins() {
			return this.allowedOrigins;
		}

		public void setAllowedOrigins(List<String> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public Duration getSendTimeLimit() {
			return this.sendTimeLimit;
		}

		public void setSendTimeLimit(Duration sendTimeLimit) {
			this.sendTimeLimit = sendTimeLimit;
		}

		public DataSize getSendBufferSizeLimit() {
			return this.sendBufferSizeLimit;
		}

		public void setSendBufferSizeLimit(DataSize sendBufferSizeLimit) {
			this.sendBufferSizeLimit = sendBufferSizeLimit;
		}

		public Sockjs getSockjs() {
			return this.sockjs;
		}

		public Executor getExecutor() {
			return this.executor;
		}

		public Authentication getAuthentication() {
			return this.authentication;
		}

	}

	/**
	 * SockJS timing of the endpoint.
	 */
	public static class Sockjs {

		/**
		 * How often to send a heartbeat frame to an idle SockJS session.
		 */
		private Duration heartbeatTime = Duration.ofSeconds(25);

		/**
		 * How long an XHR session may go without a poll before it is closed (Go uses 10s).
		 */
		private Duration disconnectDelay = Duration.ofSeconds(10);

		public Duration getHeartbeatTime() {
			return this.heartbeatTime;
		}

		public void setHeartbeatTime(Duration heartbeatTime) {
			this.heartbeatTime = heartbeatTime;
		}

		public Duration getDisconnectDelay() {
			return this.disconnectDelay;
		}

		public void setDisconnectDelay(Duration disconnectDelay) {
			this.disconnectDelay = disconnectDelay;
		}

	}

	/**
	 * The executor that runs kite method handlers (never the network threads).
	 */
	public static class Executor {

		/**
		 * Whether to run handlers on virtual threads when the JVM has them (Java 21+). Otherwise a
		 * bounded platform thread pool is used.
		 */
		private boolean virtualThreads = true;

		/**
		 * Platform thread pool: the most threads running handlers at once.
		 */
		private int maxThreads = 64;

		/**
		 * Platform thread pool: calls waiting for a thread before new ones are refused with
		 * requestLimitError.
		 */
		private int queueCapacity = 10_000;

		public boolean isVirtualThreads() {
			return this.virtualThreads;
		}

		public void setVirtualThreads(boolean virtualThreads) {
			this.virtualThreads = virtualThreads;
		}

		public int getMaxThreads() {
			return this.maxThreads;
		}

		public void setMaxThreads(int maxThreads) {
			this.maxThreads = maxThreads;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

	}

	/**
	 * Authentication of incoming calls.
	 */
	public static class Authentication {

		/**
		 * Whether methods that require authentication check it. false accepts every call
		 * unauthenticated (Go's DisableAuthentication); a warning is logged at startup.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
