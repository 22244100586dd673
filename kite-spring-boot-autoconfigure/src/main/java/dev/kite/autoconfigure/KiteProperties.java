package dev.kite.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kite.client.Transport;
import dev.kite.rpc.KiteServerLimits;
import dev.kite.rpc.KiteWebSocketLimits;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of a kite, under {@code kite.*}.
 */
@ConfigurationProperties("kite")
public class KiteProperties {

	/**
	 * The kite's name, as callers and Kontrol see it. Defaults to
	 * spring.application.name, else "kite".
	 */
	private @Nullable String name;

	/**
	 * The kite's version: exactly three dot-separated numbers, as the Go kite requires.
	 */
	private String version = "1.0.0";

	/**
	 * The owner's username. Defaults to the kite key's subject ("sub"), else "unknown".
	 */
	private @Nullable String username;

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

	/**
	 * The kite key (a JWT issued by Kontrol), inline. Takes precedence over
	 * kite.key-file.
	 */
	private @Nullable String key;

	/**
	 * The file holding the kite key. Defaults to $KITE_HOME/kite.key, else
	 * ~/.kite/kite.key; a missing default file is fine, a missing configured file fails
	 * the startup.
	 */
	private @Nullable Path keyFile;

	private final Server server = new Server();

	private final Kontrol kontrol = new Kontrol();

	private final Security security = new Security();

	private final Client client = new Client();

	private final Scheduler scheduler = new Scheduler();

	/**
	 * Named clients of other kites, by name; each is injectable as a KiteConnection
	 * qualified with its name, and backs @KiteClient interfaces of that name.
	 */
	private final Map<String, NamedClient> clients = new LinkedHashMap<>();

	public Scheduler getScheduler() {
		return this.scheduler;
	}

	public Client getClient() {
		return this.client;
	}

	public Map<String, NamedClient> getClients() {
		return this.clients;
	}

	public @Nullable String getKey() {
		return this.key;
	}

	public void setKey(@Nullable String key) {
		this.key = key;
	}

	public @Nullable Path getKeyFile() {
		return this.keyFile;
	}

	public void setKeyFile(@Nullable Path keyFile) {
		this.keyFile = keyFile;
	}

	public Kontrol getKontrol() {
		return this.kontrol;
	}

	public Security getSecurity() {
		return this.security;
	}

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

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
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
		 * Origin patterns of browser pages allowed to call the kite, e.g.
		 * "https://*.example.com" or "*" for any page. Empty (the default) allows
		 * same-origin pages only; a WebSocket upgrade or SockJS request from another
		 * origin is refused with 403. Clients that send no Origin header (Go, Java and
		 * Node kite.js clients) are always allowed.
		 */
		private List<String> allowedOrigins = new ArrayList<>();

		/**
		 * The largest incoming dnode message. A larger one closes the session with 1009.
		 * Also bounds SockJS frames (2 x this + 1KB characters) and xhr_send bodies (4 x
		 * this + 1KB bytes, refused with 413 beyond).
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(1);

		/**
		 * How long one write to a peer may take before the session is closed (a peer that
		 * stops reading). Every send only queues; a per-session writer on the kite
		 * executor writes, and a watchdog closes a session whose write is stuck longer.
		 */
		private Duration sendTimeLimit = Duration.ofSeconds(10);

		/**
		 * How much outgoing data (counted as characters) may wait for a slow peer before
		 * the session is closed: the most memory one session's replies can hold.
		 */
		private DataSize sendBufferSizeLimit = DataSize.ofMegabytes(4);

		/**
		 * How many kite sessions (WebSocket and SockJS) this endpoint serves at once; a
		 * handshake beyond it is refused with 503 while other HTTP requests keep being
		 * served. Unless server.tomcat.max-connections is set, Tomcat's connection limit
		 * is raised to this plus 1024 (when it is lower).
		 */
		private int maxConnections = KiteWebSocketLimits.DEFAULT_MAX_CONNECTIONS;

		/**
		 * How long a raw WebSocket may stay silent before it is pinged (SockJS sessions
		 * have heartbeats instead).
		 */
		private Duration pingInterval = KiteWebSocketLimits.DEFAULT_PING_INTERVAL;

		/**
		 * How long a raw WebSocket may stay silent (no message, no pong) before it is
		 * closed with 1001. Must be longer than the ping interval.
		 */
		private Duration idleTimeout = KiteWebSocketLimits.DEFAULT_IDLE_TIMEOUT;

		/**
		 * The servlet container's default WebSocket message buffers (text in characters,
		 * binary in bytes) for every WebSocket endpoint of the application, allocated per
		 * connection at its handshake. Unset: the container's own (Tomcat: 8K, 24KB of
		 * heap per connection). 1KB makes an idle kite connection about 21KB smaller.
		 * Only when every WebSocket handler of the app takes partial messages (the kite's
		 * do) or never receives larger messages: a handler taking whole messages gets a
		 * larger one closed with 1009.
		 */
		private @Nullable DataSize websocketMessageBufferSize;

		/**
		 * Tomcat's per-connection socket read and write buffers (socket.appReadBufSize
		 * and appWriteBufSize), for every connection of its connectors, HTTP included.
		 * Unset: Tomcat's (8KB each). 2KB makes an idle kite connection 12KB smaller;
		 * reads and writes of larger messages and responses then take more system calls.
		 */
		private @Nullable DataSize tomcatSocketBufferSize;

		private final Sockjs sockjs = new Sockjs();

		private final Executor executor = new Executor();

		private final Authentication authentication = new Authentication();

		private final EndpointSecurity security = new EndpointSecurity();

		private final Limits limits = new Limits();

		/**
		 * Per-method token buckets by kite method name (Go's Throttle), overriding
		 * a @KiteMethod's own throttle.
		 */
		private Map<String, Throttle> throttle = new LinkedHashMap<>();

		public Limits getLimits() {
			return this.limits;
		}

		public Map<String, Throttle> getThrottle() {
			return this.throttle;
		}

		public void setThrottle(Map<String, Throttle> throttle) {
			this.throttle = throttle;
		}

		public EndpointSecurity getSecurity() {
			return this.security;
		}

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

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public Duration getPingInterval() {
			return this.pingInterval;
		}

		public void setPingInterval(Duration pingInterval) {
			this.pingInterval = pingInterval;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public @Nullable DataSize getWebsocketMessageBufferSize() {
			return this.websocketMessageBufferSize;
		}

		public void setWebsocketMessageBufferSize(@Nullable DataSize websocketMessageBufferSize) {
			this.websocketMessageBufferSize = websocketMessageBufferSize;
		}

		public @Nullable DataSize getTomcatSocketBufferSize() {
			return this.tomcatSocketBufferSize;
		}

		public void setTomcatSocketBufferSize(@Nullable DataSize tomcatSocketBufferSize) {
			this.tomcatSocketBufferSize = tomcatSocketBufferSize;
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
	 * Per-connection limits that protect the server from one peer.
	 */
	public static class Limits {

		/**
		 * How many calls of one connection may run or wait for a thread at once; a call
		 * beyond it is answered with requestLimitError.
		 */
		private int maxInFlightCalls = KiteServerLimits.DEFAULT_MAX_IN_FLIGHT_CALLS;

		/**
		 * How many of this side's functions one connection may hold; beyond it the oldest
		 * are released (logged).
		 */
		private int maxCallbacks = KiteServerLimits.DEFAULT_MAX_CALLBACKS;

		/**
		 * How many WARN lines about one connection's bad input are written per minute;
		 * the rest are summarised as "N more suppressed".
		 */
		private int warningsPerMinute = KiteServerLimits.DEFAULT_WARNINGS_PER_MINUTE;

		/**
		 * How many calls of one connection may run or wait for a thread at once.
		 * @return the limit
		 */
		public int getMaxInFlightCalls() {
			return this.maxInFlightCalls;
		}

		public void setMaxInFlightCalls(int maxInFlightCalls) {
			this.maxInFlightCalls = maxInFlightCalls;
		}

		/**
		 * How many of this side's functions one connection may hold.
		 * @return the limit
		 */
		public int getMaxCallbacks() {
			return this.maxCallbacks;
		}

		public void setMaxCallbacks(int maxCallbacks) {
			this.maxCallbacks = maxCallbacks;
		}

		/**
		 * How many WARN lines about one connection are written per minute.
		 * @return the limit
		 */
		public int getWarningsPerMinute() {
			return this.warningsPerMinute;
		}

		public void setWarningsPerMinute(int warningsPerMinute) {
			this.warningsPerMinute = warningsPerMinute;
		}

	}

	/**
	 * A token bucket for one kite method (Go's Throttle(fillInterval, capacity)).
	 */
	public static class Throttle {

		/**
		 * How long one token takes to come back.
		 */
		private @Nullable Duration fillInterval;

		/**
		 * How many tokens the bucket holds: the burst of calls allowed at once.
		 */
		private int capacity = 1;

		/**
		 * How long one token takes to come back.
		 * @return the interval, or {@code null} when not set
		 */
		public @Nullable Duration getFillInterval() {
			return this.fillInterval;
		}

		public void setFillInterval(@Nullable Duration fillInterval) {
			this.fillInterval = fillInterval;
		}

		/**
		 * How many tokens the bucket holds.
		 * @return the capacity
		 */
		public int getCapacity() {
			return this.capacity;
		}

		public void setCapacity(int capacity) {
			this.capacity = capacity;
		}

	}

	/**
	 * SockJS timing of the endpoint.
	 */
	public static class Sockjs {

		/**
		 * How often to send a heartbeat frame to an idle SockJS session. Go's XHR client
		 * polls again after 15s without a byte, so this must stay below that (Go sends
		 * one every 10s).
		 */
		private Duration heartbeatTime = Duration.ofSeconds(10);

		/**
		 * How many SockJS sessions one remote address may have open; a new one beyond it
		 * is refused with 503.
		 */
		private int maxSessionsPerAddress = 1000;

		/**
		 * How long an XHR session may go without a poll before it is closed (Go uses
		 * 10s).
		 */
		private Duration disconnectDelay = Duration.ofSeconds(10);

		/**
		 * How many outgoing messages an XHR session holds while waiting for the client's
		 * next poll. A session that overflows it is closed (never silently short of
		 * replies); Spring's own default of 100 is too small for a client with many calls
		 * in flight.
		 */
		private int httpMessageCacheSize = 10_000;

		/**
		 * How many bytes of outgoing messages (counted as characters) an XHR session
		 * holds while waiting for the client's next poll. A session that exceeds it is
		 * closed; other sessions are unaffected.
		 */
		private DataSize httpMessageCacheByteLimit = DataSize.ofMegabytes(4);

		/**
		 * How long an XHR poll waits for the previous poll of its session to finish
		 * before it is answered with 2010 "Another connection still open". Go's client
		 * polls again before it has read the end of the previous response.
		 */
		private Duration xhrHandoverTimeout = Duration.ofMillis(500);

		public DataSize getHttpMessageCacheByteLimit() {
			return this.httpMessageCacheByteLimit;
		}

		public void setHttpMessageCacheByteLimit(DataSize httpMessageCacheByteLimit) {
			this.httpMessageCacheByteLimit = httpMessageCacheByteLimit;
		}

		public Duration getXhrHandoverTimeout() {
			return this.xhrHandoverTimeout;
		}

		public void setXhrHandoverTimeout(Duration xhrHandoverTimeout) {
			this.xhrHandoverTimeout = xhrHandoverTimeout;
		}

		public int getHttpMessageCacheSize() {
			return this.httpMessageCacheSize;
		}

		public void setHttpMessageCacheSize(int httpMessageCacheSize) {
			this.httpMessageCacheSize = httpMessageCacheSize;
		}

		public int getMaxSessionsPerAddress() {
			return this.maxSessionsPerAddress;
		}

		public void setMaxSessionsPerAddress(int maxSessionsPerAddress) {
			this.maxSessionsPerAddress = maxSessionsPerAddress;
		}

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
		 * Whether to run handlers on virtual threads when the JVM has them (Java 21+).
		 * Otherwise a bounded platform thread pool is used.
		 */
		private boolean virtualThreads = true;

		/**
		 * Platform thread pool: the most threads running handlers at once.
		 */
		private int maxThreads = 64;

		/**
		 * Platform thread pool: calls waiting for a thread before new ones are refused
		 * with requestLimitError.
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
	 * Spring Security integration of the kite endpoint.
	 */
	public static class EndpointSecurity {

		/**
		 * Whether to add a filter chain that permits the kite path (handshakes carry no
		 * credentials; each call authenticates itself) and disables CSRF there, when
		 * Spring Security guards the application.
		 */
		private boolean permitEndpoint = true;

		public boolean isPermitEndpoint() {
			return this.permitEndpoint;
		}

		public void setPermitEndpoint(boolean permitEndpoint) {
			this.permitEndpoint = permitEndpoint;
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

	/**
	 * Kontrol: the one this kite trusts, registers with and discovers other kites
	 * through.
	 */
	public static class Kontrol {

		/**
		 * Kontrol's URL, e.g. http://kontrol.example.com:6000/kite. Defaults to the
		 * embedded Kontrol when kite.kontrol.server.enabled=true, else the kite key's
		 * "kontrolURL" claim. Without one, the kite neither registers nor discovers.
		 */
		private @Nullable String url;

		/**
		 * Kontrol's public key (PEM) that signs kite keys and tokens this kite accepts.
		 * Defaults to the kite key's "kontrolKey" claim.
		 */
		private @Nullable String key;

		/**
		 * Kontrol's username, the issuer ("iss") of the tokens this kite accepts.
		 * Defaults to the kite key's issuer.
		 */
		private @Nullable String user;

		/**
		 * Whether to register this kite with Kontrol once the web server has its port
		 * (needs a Kontrol URL and a kite key, and the kite endpoint or register-url).
		 */
		private boolean register = true;

		/**
		 * The URL registered for this kite, as other kites dial it. Defaults to
		 * scheme://host:port + context path + kite.server.path, with the web server's
		 * port, https when server SSL is on, and the host from kite.kontrol.hostname.
		 */
		private @Nullable String registerUrl;

		/**
		 * The host of the registered URL. Defaults to server.address when it names one
		 * address, else the first non-loopback address of this machine.
		 */
		private @Nullable String hostname;

		/**
		 * How to register: dnode (Kontrol's kite methods over one long-lived connection,
		 * as Go kites do) or http (POST /register, then GET /heartbeat).
		 */
		private KontrolTransport transport = KontrolTransport.DNODE;

		/**
		 * Whether a first registration that fails (or does not succeed within
		 * startup-timeout) fails the startup. Otherwise the kite serves at once and keeps
		 * registering in the background.
		 */
		private boolean failFast;

		/**
		 * With fail-fast, how long the startup waits for the first registration.
		 */
		private Duration startupTimeout = Duration.ofSeconds(15);

		/**
		 * dnode: the delay before retrying a register call that failed while connected
		 * (Go: 10s). A lost connection is redialed with the client backoff and registers
		 * again at once.
		 */
		private Duration retryInterval = Duration.ofSeconds(10);

		/**
		 * dnode: the longest delay between dials while Kontrol is unreachable (Go's
		 * backoff grows to 60s). With +-50% jitter, the kite registers again at most 1.5
		 * x this after Kontrol comes back.
		 */
		private Duration maxReconnectInterval = Duration.ofSeconds(10);

		private final HttpRegistration http = new HttpRegistration();

		private final Discovery discovery = new Discovery();

		public Discovery getDiscovery() {
			return this.discovery;
		}

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getKey() {
			return this.key;
		}

		public void setKey(@Nullable String key) {
			this.key = key;
		}

		public @Nullable String getUser() {
			return this.user;
		}

		public void setUser(@Nullable String user) {
			this.user = user;
		}

		public boolean isRegister() {
			return this.register;
		}

		public void setRegister(boolean register) {
			this.register = register;
		}

		public @Nullable String getRegisterUrl() {
			return this.registerUrl;
		}

		public void setRegisterUrl(@Nullable String registerUrl) {
			this.registerUrl = registerUrl;
		}

		public @Nullable String getHostname() {
			return this.hostname;
		}

		public void setHostname(@Nullable String hostname) {
			this.hostname = hostname;
		}

		public KontrolTransport getTransport() {
			return this.transport;
		}

		public void setTransport(KontrolTransport transport) {
			this.transport = transport;
		}

		public boolean isFailFast() {
			return this.failFast;
		}

		public void setFailFast(boolean failFast) {
			this.failFast = failFast;
		}

		public Duration getStartupTimeout() {
			return this.startupTimeout;
		}

		public void setStartupTimeout(Duration startupTimeout) {
			this.startupTimeout = startupTimeout;
		}

		public Duration getRetryInterval() {
			return this.retryInterval;
		}

		public void setRetryInterval(Duration retryInterval) {
			this.retryInterval = retryInterval;
		}

		public Duration getMaxReconnectInterval() {
			return this.maxReconnectInterval;
		}

		public void setMaxReconnectInterval(Duration maxReconnectInterval) {
			this.maxReconnectInterval = maxReconnectInterval;
		}

		public HttpRegistration getHttp() {
			return this.http;
		}

	}

	/**
	 * Finding other kites through Kontrol (the KiteDiscovery bean, and named clients with
	 * a query).
	 */
	public static class Discovery {

		/**
		 * Whether to offer discovery through Kontrol (needs a Kontrol URL and a kite
		 * key).
		 */
		private boolean enabled = true;

		/**
		 * How often a watch polls getKites when Kontrol cannot watch (a Go Kontrol).
		 */
		private Duration pollInterval = Duration.ofSeconds(10);

		/**
		 * How long before a token expires it is renewed (Go: 30s).
		 */
		private Duration tokenRenewBefore = Duration.ofSeconds(30);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public Duration getTokenRenewBefore() {
			return this.tokenRenewBefore;
		}

		public void setTokenRenewBefore(Duration tokenRenewBefore) {
			this.tokenRenewBefore = tokenRenewBefore;
		}

	}

	/**
	 * How the kite registers with Kontrol.
	 */
	public enum KontrolTransport {

		/** Kontrol's kite methods over one long-lived kite connection. */
		DNODE,
		/** Kontrol's HTTP endpoints: POST /register, then GET /heartbeat. */
		HTTP

	}

	/**
	 * HTTP registration (kite.kontrol.transport=http): backoff of registrations after a
	 * failure or a "registeragain" answer (Go: 30s, x1.7, at most 5m).
	 */
	public static class HttpRegistration {

		/**
		 * The delay before the first retry.
		 */
		private Duration initialInterval = Duration.ofSeconds(30);

		/**
		 * The growth of the delay per failed attempt.
		 */
		private double multiplier = 1.7;

		/**
		 * The longest delay between attempts.
		 */
		private Duration maxInterval = Duration.ofMinutes(5);

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = initialInterval;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

	}

	/**
	 * The kite's scheduler ({@code kiteTaskScheduler}): heartbeats, call timeouts,
	 * reconnect backoff and XHR handover timers. Its tasks are short and never block, so
	 * a small pool serves many sessions.
	 */
	public static class Scheduler {

		/** The default of {@link #getPoolSize()}. */
		public static final int DEFAULT_POOL_SIZE = 2;

		/**
		 * How many threads run the kite's scheduled tasks.
		 */
		private int poolSize = DEFAULT_POOL_SIZE;

		public int getPoolSize() {
			return this.poolSize;
		}

		public void setPoolSize(int poolSize) {
			this.poolSize = poolSize;
		}

	}

	/**
	 * Verification of kite keys and tokens.
	 */
	public static class Security {

		/**
		 * How long a Kontrol key trust decision is cached (Go's KITE_VERIFY_TTL).
		 */
		private Duration verifyCacheTtl = Duration.ofMinutes(5);

		/**
		 * How many verified tokens and kite keys are remembered (each until it expires),
		 * so a repeated credential costs no RSA check. 0 verifies every call's signature.
		 */
		private int verifiedCacheSize = 10_000;

		/**
		 * How many Kontrol key trust decisions are cached (each for verify-cache-ttl).
		 * One entry per distinct Kontrol key seen in kite keys; 0 asks the trust decision
		 * on every call.
		 */
		private int trustCacheSize = DEFAULT_TRUST_CACHE_SIZE;

		/**
		 * The default of {@link #getTrustCacheSize()}: far more Kontrols than a kite
		 * meets.
		 */
		public static final int DEFAULT_TRUST_CACHE_SIZE = 1000;

		public int getTrustCacheSize() {
			return this.trustCacheSize;
		}

		public void setTrustCacheSize(int trustCacheSize) {
			this.trustCacheSize = trustCacheSize;
		}

		public Duration getVerifyCacheTtl() {
			return this.verifyCacheTtl;
		}

		public void setVerifyCacheTtl(Duration verifyCacheTtl) {
			this.verifyCacheTtl = verifyCacheTtl;
		}

		public int getVerifiedCacheSize() {
			return this.verifiedCacheSize;
		}

		public void setVerifiedCacheSize(int verifiedCacheSize) {
			this.verifiedCacheSize = verifiedCacheSize;
		}

	}

	/**
	 * Defaults for every client.
	 */
	public static class Client {

		/**
		 * Whether to configure kite clients.
		 */
		private boolean enabled = true;

		/**
		 * How long a call waits for its response before failing with "timeout".
		 */
		private Duration timeout = Duration.ofSeconds(15);

		/**
		 * How long dialing a kite may take.
		 */
		private Duration connectTimeout = Duration.ofSeconds(15);

		/**
		 * How clients dial by default: websocket (SockJS, as Go does; the default, since
		 * a Go kite speaks only SockJS at its /kite URL), xhr-polling, raw-websocket
		 * (faster between our own client and server: no SockJS framing), or auto
		 * (WebSocket, then XHR when the handshake is refused).
		 */
		private Transport transport = Transport.WEBSOCKET;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Transport getTransport() {
			return this.transport;
		}

		public void setTransport(Transport transport) {
			this.transport = transport;
		}

	}

	/**
	 * How a named client authenticates its calls.
	 */
	public enum ClientAuthentication {

		/** The kite key when this kite has one (as Go's NewClient does), else none. */
		AUTO,
		/** No authentication. */
		NONE,
		/** This kite's kite key; startup fails without one. */
		KITE_KEY,
		/**
		 * The token set in {@code kite.clients.<name>.token}; a client with a query
		 * always uses the tokens Kontrol issues.
		 */
		TOKEN

	}

	/**
	 * One named client.
	 */
	public static class NamedClient {

		/**
		 * The kite's URL: http(s)://host:port/kite for SockJS,
		 * ws(s)://host:port/kite/websocket for a raw WebSocket. Placeholders unresolved
		 * at startup, such as ${local.server.port}, are resolved when the client is first
		 * used.
		 */
		private @Nullable String url;

		/**
		 * Instead of a URL: a Kontrol query for the kite, as a kite path
		 * /username/environment/name[/version/region/hostname/id], e.g.
		 * /alice/production/math. The client connects to one match (chosen by the
		 * KiteSelectionStrategy bean, random by default) with a token Kontrol issues and
		 * renews, and fails over to another match when the connection drops.
		 */
		private @Nullable String query;

		/**
		 * With a query: a version constraint, e.g. ">=1.0.0, <2.0.0" (overrides the
		 * query's version field).
		 */
		private @Nullable String version;

		/**
		 * How to dial; defaults to kite.client.transport.
		 */
		private @Nullable Transport transport;

		/**
		 * Call timeout; defaults to kite.client.timeout.
		 */
		private @Nullable Duration timeout;

		/**
		 * How calls authenticate.
		 */
		private ClientAuthentication authentication = ClientAuthentication.AUTO;

		/**
		 * The token, when authentication is token.
		 */
		private @Nullable String token;

		/**
		 * Whether to keep redialing with backoff (Go's DialForever) after a failed dial
		 * or a lost connection.
		 */
		private boolean reconnect = true;

		/**
		 * Whether calls the kite makes back on this connection must authenticate (by
		 * default a dialed kite is trusted, as in Go).
		 */
		private boolean authenticateIncoming;

		/**
		 * TLS for https and wss URLs.
		 */
		private final Ssl ssl = new Ssl();

		public Ssl getSsl() {
			return this.ssl;
		}

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable Transport getTransport() {
			return this.transport;
		}

		public void setTransport(@Nullable Transport transport) {
			this.transport = transport;
		}

		public @Nullable String getQuery() {
			return this.query;
		}

		public void setQuery(@Nullable String query) {
			this.query = query;
		}

		public @Nullable String getVersion() {
			return this.version;
		}

		public void setVersion(@Nullable String version) {
			this.version = version;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		public ClientAuthentication getAuthentication() {
			return this.authentication;
		}

		public void setAuthentication(ClientAuthentication authentication) {
			this.authentication = authentication;
		}

		public @Nullable String getToken() {
			return this.token;
		}

		public void setToken(@Nullable String token) {
			this.token = token;
		}

		public boolean isReconnect() {
			return this.reconnect;
		}

		public void setReconnect(boolean reconnect) {
			this.reconnect = reconnect;
		}

		public boolean isAuthenticateIncoming() {
			return this.authenticateIncoming;
		}

		public void setAuthenticateIncoming(boolean authenticateIncoming) {
			this.authenticateIncoming = authenticateIncoming;
		}

	}

	/**
	 * TLS of a named client.
	 */
	public static class Ssl {

		/**
		 * The SSL bundle (spring.ssl.bundle.*) for https/wss URLs; the JVM trust store
		 * when unset.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

}
