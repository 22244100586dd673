package dev.kite.client.kontrol;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import javax.net.ssl.SSLContext;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.client.ReconnectPolicy;
import dev.kite.protocol.Auth;
import dev.kite.protocol.GoDurations;
import dev.kite.protocol.Kite;
import dev.kite.protocol.LogSafe;
import dev.kite.protocol.RegisterArgs;
import dev.kite.protocol.RegisterResult;
import dev.kite.rpc.Failures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registration over Kontrol's HTTP endpoints, as Go's {@code RegisterHTTPForever}
 * (PROTOCOL §6.9): {@code POST /register} with the URL, this kite's identity and its
 * current kite key; on success a {@code GET /heartbeat?id=<kite id>} every
 * {@code heartbeatInterval} seconds (Kontrol says 10). {@code pong} keeps the
 * registration; {@code registeragain} (Kontrol restarted, or its watchdog fired) stops
 * the heartbeats and registers again at once, then with {@link ReconnectPolicy backoff}
 * (Go: 30 s, ×1.7, at most 5 min, forever). A failed heartbeat (Kontrol unreachable) is
 * only logged and the heartbeats go on, as in Go: a Kontrol that comes back answers
 * {@code registeragain} if it forgot this kite. A failed register is retried with the
 * backoff. There is no HTTP deregistration (Go has none): {@link #close()} stops the
 * heartbeats and Kontrol lets the record expire.
 *
 * <p>
 * The endpoints are derived from the Kontrol URL as Go does: a trailing {@code /kite} is
 * stripped (trailing slashes too) and {@code /register} or {@code /heartbeat} appended.
 * Every request is bounded by the timeout (connect and whole exchange; Go's
 * {@code Config.Timeout}, 15 s); responses are read to a size limit (a heartbeat's first
 * 16 bytes, as Go).
 *
 * <p>
 * Logging: one WARN line per failed register; for heartbeats one WARN when they start
 * failing and one INFO when Kontrol answers again (a Kontrol that is down for an hour
 * does not fill the log with a line every 10 s).
 *
 * <p>
 * Thread safety: state changes under one lock, held only to change fields and schedule;
 * requests are sent with {@link HttpClient#sendAsync} from the scheduler's threads (or
 * the caller of {@link #start(URI)}), so no scheduler thread waits on the network;
 * responses are handled on the HTTP client's threads. Each registration cycle has a
 * generation number so a late response from an earlier cycle (or after {@code close()})
 * changes nothing. Listener calls happen outside the lock.
 */
public final class KontrolHttpRegistration implements KontrolRegistration {

	/** Go's backoff of HTTP registrations: 30 s, ×1.7, at most 5 min, ±50 %. */
	public static final ReconnectPolicy DEFAULT_BACKOFF = new ReconnectPolicy(true, Duration.ofSeconds(30), 1.7, 0.5,
			Duration.ofMinutes(5));

	private static final Logger logger = LoggerFactory.getLogger(KontrolHttpRegistration.class);

	/**
	 * Go reads at most this much of a heartbeat answer ({@code pong},
	 * {@code registeragain}).
	 */
	static final int HEARTBEAT_BODY_LIMIT = 16;

	/** A register answer is a URL, an interval and maybe a kite key and a PEM key. */
	static final int REGISTER_BODY_LIMIT = 64 * 1024;

	private static final ObjectMapper MAPPER = JsonMapper.builder()
		.enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES) // Go decodes so
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.build();

	private final URI kontrolUrl;

	private final URI registerEndpoint;

	private final URI heartbeatEndpoint;

	private final Kite kite;

	private final LocalKiteKey kiteKey;

	private final TaskScheduler scheduler;

	private final HttpClient http;

	private final Duration timeout;

	private final ReconnectPolicy backoff;

	private final DoubleSupplier random;

	private final @Nullable KontrolKeyRotation rotation;

	private final KontrolRegistrationListener listener;

	private final CompletableFuture<RegisterResult> first = new CompletableFuture<>();

	private final Object lock = new Object();

	// Guarded by lock:
	private KontrolRegistrationStatus.State state = KontrolRegistrationStatus.State.NEW;

	private @Nullable URI url;

	private @Nullable Instant lastRegistered;

	private @Nullable Instant lastHeartbeat;

	private @Nullable String lastError;

	/** Incremented by every registration cycle and by close(). */
	private long generation;

	/** Failed register attempts in this cycle. */
	private int failures;

	private @Nullable ScheduledFuture<?> retry;

	private @Nullable ScheduledFuture<?> heartbeats;

	private @Nullable CompletableFuture<?> inFlight;

	private boolean heartbeatInFlight;

	private boolean heartbeatFailing;

	private KontrolHttpRegistration(Builder builder) {
		this.kontrolUrl = builder.kontrolUrl;
		this.registerEndpoint = endpoint(builder.kontrolUrl, "register");
		this.heartbeatEndpoint = endpoint(builder.kontrolUrl, "heartbeat");
		this.kite = builder.kite;
		this.kiteKey = builder.kiteKey;
		this.scheduler = builder.scheduler;
		this.timeout = builder.timeout;
		this.backoff = builder.backoff;
		this.random = builder.random;
		this.rotation = builder.rotation;
		this.listener = builder.listener;
		HttpClient.Builder http = HttpClient.newBuilder()
			.connectTimeout(builder.timeout)
			.followRedirects(HttpClient.Redirect.NORMAL); // as Go's http.Client
		if (builder.sslContext != null) {
			http.sslContext(builder.sslContext);
		}
		if (builder.executor != null) {
			http.executor(builder.executor);
		}
		this.http = http.build();
	}

	/**
	 * A builder.
	 * @param kontrolUrl Kontrol's URL, e.g. {@code http://host:4000/kite}
	 * @param kite this kite's identity, sent with every register (Kontrol stores the kite
	 * key's {@code sub} as its username)
	 * @param kiteKey this kite's key, read at each register so a rotated key is used
	 * @param scheduler runs heartbeats and retries; its clock dates the status
	 * @return the builder
	 */
	public static Builder builder(URI kontrolUrl, Kite kite, LocalKiteKey kiteKey, TaskScheduler scheduler) {
		return new Builder(kontrolUrl, kite, kiteKey, scheduler);
	}

	/**
	 * One of Kontrol's HTTP endpoints, derived as Go's {@code getKontrolPath} does: a
	 * trailing {@code /kite} is stripped (and trailing slashes, which Go would keep as an
	 * empty segment) and {@code /<path>} appended. Query and fragment are dropped.
	 * @param kontrolUrl Kontrol's URL
	 * @param path {@code register} or {@code heartbeat}
	 * @return the endpoint
	 */
	static URI endpoint(URI kontrolUrl, String path) {
		String base = kontrolUrl.getRawPath();
		base = (base != null) ? stripTrailingSlashes(base) : "";
		if (base.endsWith("/kite")) {
			base = stripTrailingSlashes(base.substring(0, base.length() - "/kite".length()));
		}
		String authority = kontrolUrl.getRawAuthority();
		return URI.create(kontrolUrl.getScheme() + "://" + ((authority != null) ? authority : "") + base + "/" + path);
	}

	private static String stripTrailingSlashes(String path) {
		int end = path.length();
		while (end > 0 && path.charAt(end - 1) == '/') {
			end--;
		}
		return path.substring(0, end);
	}

	/** {@code POST} target. */
	URI registerEndpoint() {
		return this.registerEndpoint;
	}

	/** {@code GET} target, with this kite's id. */
	URI heartbeatUri() {
		return URI.create(this.heartbeatEndpoint + "?id=" + URLEncoder.encode(this.kite.id(), StandardCharsets.UTF_8));
	}

	@Override
	public void start(URI url) {
		long cycle;
		synchronized (this.lock) {
			if (this.state != KontrolRegistrationStatus.State.NEW) {
				throw new IllegalStateException("Registration already " + this.state.name().toLowerCase());
			}
			this.url = Objects.requireNonNull(url, "url");
			this.state = KontrolRegistrationStatus.State.REGISTERING;
			cycle = ++this.generation;
		}
		register(cycle); // sendAsync: returns at once
	}

	@Override
	public CompletableFuture<RegisterResult> firstRegistration() {
		return this.first.copy();
	}

	@Override
	public KontrolRegistrationStatus status() {
		synchronized (this.lock) {
			return new KontrolRegistrationStatus(this.state, this.kontrolUrl, this.url, this.lastRegistered,
					this.lastHeartbeat, this.lastError);
		}
	}

	/** One {@code POST /register}; from start(), a retry, or a heartbeat's answer. */
	private void register(long cycle) {
		URI target;
		synchronized (this.lock) {
			if (cycle != this.generation || this.url == null) {
				return; // closed, or superseded
			}
			this.retry = null;
			target = this.url;
		}
		CompletableFuture<RegisterResult> sent;
		try {
			KiteKey key = this.kiteKey.get()
				.orElseThrow(() -> new IllegalStateException("this kite has no kite key to register with"));
			RegisterArgs args = new RegisterArgs(target.toString(), this.kite, new Auth(Auth.KITE_KEY, key.raw()));
			HttpRequest request = HttpRequest.newBuilder(this.registerEndpoint)
				.timeout(this.timeout)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(args)))
				.build();
			CompletableFuture<HttpResponse<byte[]>> exchange = this.http.sendAsync(request,
					limited(REGISTER_BODY_LIMIT));
			track(cycle, exchange);
			sent = bounded(exchange).thenApply(this::decode);
		}
		catch (RuntimeException ex) {
			sent = CompletableFuture.failedFuture(ex);
		}
		sent.whenComplete((result, failure) -> {
			if (failure != null) {
				registerFailed(cycle, Failures.unwrap(failure));
			}
			else {
				registered(cycle, result);
			}
		});
	}

	/** Go decodes the body whatever the status and fails on {@code err} or interval 0. */
	private RegisterResult decode(HttpResponse<byte[]> response) {
		RegisterResult result;
		try {
			result = MAPPER.readValue(response.body(), RegisterResult.class);
		}
		catch (JacksonException ex) {
			if (response.statusCode() != 200) {
				// e.g. a proxy's error page: the status says more than the parser
				throw new KontrolHttpException("HTTP " + response.statusCode() + " without a register result");
			}
			throw new KontrolHttpException("cannot decode Kontrol's answer: " + ex.getOriginalMessage());
		}
		if (result == null) {
			throw new KontrolHttpException("Kontrol answered null (HTTP " + response.statusCode() + ")");
		}
		if (!result.err().isEmpty()) {
			throw new KontrolHttpException("HTTP " + response.statusCode() + ": " + result.err());
		}
		if (result.heartbeatInterval() <= 0) {
			throw new KontrolHttpException("heartbeat interval cannot be zero");
		}
		return result;
	}

	private void registered(long cycle, RegisterResult result) {
		if (this.rotation != null) {
			try {
				this.rotation.apply(result);
			}
			catch (RuntimeException ex) {
				// Kontrol has the record; a retry would get the same answer.
				logger.warn("Kontrol {} announced a key rotation this kite cannot adopt ({})", this.kontrolUrl,
						LogSafe.of(ex.getMessage()));
			}
		}
		Duration interval = Duration.ofSeconds(result.heartbeatInterval());
		synchronized (this.lock) {
			if (cycle != this.generation) {
				return;
			}
			this.inFlight = null;
			this.state = KontrolRegistrationStatus.State.REGISTERED;
			this.lastRegistered = this.scheduler.getClock().instant();
			this.lastError = null;
			this.failures = 0;
			this.heartbeatFailing = false;
			this.heartbeatInFlight = false;
			try {
				// Go's ticker: the first heartbeat one interval after registering.
				this.heartbeats = this.scheduler.scheduleAtFixedRate(() -> heartbeat(cycle),
						this.scheduler.getClock().instant().plus(interval), interval);
			}
			catch (RejectedExecutionException ex) {
				logger.debug("Not sending heartbeats: the scheduler is stopping");
			}
		}
		logger.info("Registered with Kontrol {} over HTTP as {}; heartbeat every {}", this.kontrolUrl,
				LogSafe.of(result.url()), GoDurations.format(interval));
		this.first.complete(result);
		this.listener.registered(result);
	}

	private void registerFailed(long cycle, Throwable failure) {
		String message = describe(failure);
		Duration delay;
		synchronized (this.lock) {
			if (cycle != this.generation) {
				return;
			}
			this.inFlight = null;
			this.state = KontrolRegistrationStatus.State.RETRYING;
			this.lastError = message;
			delay = this.backoff.delay(this.failures++, this.random);
			try {
				this.retry = this.scheduler.schedule(() -> register(cycle),
						this.scheduler.getClock().instant().plus(delay));
			}
			catch (RejectedExecutionException ex) {
				logger.debug("Not retrying the registration: the scheduler is stopping");
				return;
			}
		}
		logger.warn("Registering with Kontrol {} over HTTP failed ({}); next attempt in {}", this.kontrolUrl,
				LogSafe.of(message), GoDurations.format(delay));
		this.listener.failed(failure, delay);
	}

	/** One {@code GET /heartbeat}; on the scheduler, every heartbeat interval. */
	private void heartbeat(long cycle) {
		synchronized (this.lock) {
			if (cycle != this.generation || this.heartbeatInFlight) {
				return; // closed or superseded; or the last one is still waiting (as Go's
						// ticker drops ticks)
			}
			this.heartbeatInFlight = true;
		}
		CompletableFuture<String> sent;
		try {
			HttpRequest request = HttpRequest.newBuilder(heartbeatUri()).timeout(this.timeout).GET().build();
			CompletableFuture<HttpResponse<byte[]>> exchange = this.http.sendAsync(request,
					limited(HEARTBEAT_BODY_LIMIT));
			track(cycle, exchange);
			sent = bounded(exchange).thenApply((response) -> {
				if (response.statusCode() != 200) {
					throw new KontrolHttpException("unexpected status code: " + response.statusCode());
				}
				return new String(response.body(), StandardCharsets.UTF_8).strip();
			});
		}
		catch (RuntimeException ex) {
			sent = CompletableFuture.failedFuture(ex);
		}
		sent.whenComplete((answer, failure) -> {
			if (failure != null) {
				heartbeatFailed(cycle, describe(Failures.unwrap(failure)));
			}
			else if ("pong".equals(answer)) {
				pong(cycle);
			}
			else if ("registeragain".equals(answer)) {
				registerAgain(cycle);
			}
			else {
				heartbeatFailed(cycle, "malformed heartbeat response: " + answer);
			}
		});
	}

	private void pong(long cycle) {
		boolean recovered;
		synchronized (this.lock) {
			if (cycle != this.generation) {
				return;
			}
			this.inFlight = null;
			this.heartbeatInFlight = false;
			this.lastHeartbeat = this.scheduler.getClock().instant();
			recovered = this.heartbeatFailing;
			this.heartbeatFailing = false;
			this.state = KontrolRegistrationStatus.State.REGISTERED;
			this.lastError = null;
		}
		if (recovered) {
			logger.info("Kontrol {} answers heartbeats again", this.kontrolUrl);
		}
	}

	private void heartbeatFailed(long cycle, String message) {
		boolean first;
		synchronized (this.lock) {
			if (cycle != this.generation) {
				return;
			}
			this.inFlight = null;
			this.heartbeatInFlight = false;
			first = !this.heartbeatFailing;
			this.heartbeatFailing = true;
			// Kontrol may have forgotten us; it says registeragain once it answers.
			this.state = KontrolRegistrationStatus.State.RETRYING;
			this.lastError = "heartbeat failed: " + message;
		}
		if (first) {
			logger.warn("Heartbeat to Kontrol {} failed ({}); still sending them", this.kontrolUrl,
					LogSafe.of(message));
		}
		else {
			logger.debug("Heartbeat to Kontrol {} failed ({})", this.kontrolUrl, LogSafe.of(message));
		}
	}

	/** Kontrol forgot this kite: stop heartbeating, start a new registration cycle. */
	private void registerAgain(long cycle) {
		long next;
		synchronized (this.lock) {
			if (cycle != this.generation) {
				return;
			}
			this.inFlight = null;
			cancelTimers();
			next = ++this.generation;
			this.failures = 0;
			this.state = KontrolRegistrationStatus.State.RETRYING;
			this.lastError = "Kontrol asked this kite to register again";
		}
		logger.info("Kontrol {} forgot this kite (registeragain); registering again", this.kontrolUrl);
		register(next); // at once, as Go's RegisterHTTPForever; then with backoff
	}

	/** Remembers the request of a cycle so close() can abort it. */
	private void track(long cycle, CompletableFuture<?> request) {
		synchronized (this.lock) {
			if (cycle == this.generation) {
				this.inFlight = request;
				return;
			}
		}
		request.cancel(true);
	}

	/** Must hold the lock. */
	private void cancelTimers() {
		if (this.retry != null) {
			this.retry.cancel(false);
			this.retry = null;
		}
		if (this.heartbeats != null) {
			this.heartbeats.cancel(false);
			this.heartbeats = null;
		}
		this.heartbeatInFlight = false;
	}

	/** Bounds the whole exchange (the request timeout covers only the headers). */
	private <T> CompletableFuture<T> bounded(CompletableFuture<T> exchange) {
		return exchange.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	private String describe(Throwable failure) {
		if (failure instanceof TimeoutException || failure instanceof java.net.http.HttpTimeoutException) {
			return "no answer within " + GoDurations.format(this.timeout);
		}
		if (failure instanceof java.net.ConnectException) {
			return "cannot connect to " + this.registerEndpoint.getAuthority();
		}
		String message = failure.getMessage();
		return (message != null) ? message : failure.getClass().getSimpleName();
	}

	@Override
	public void close() {
		boolean wasStarted;
		CompletableFuture<?> request;
		synchronized (this.lock) {
			if (this.state == KontrolRegistrationStatus.State.CLOSED) {
				return;
			}
			wasStarted = this.state != KontrolRegistrationStatus.State.NEW;
			this.state = KontrolRegistrationStatus.State.CLOSED;
			this.generation++;
			cancelTimers();
			request = this.inFlight;
			this.inFlight = null;
		}
		if (request != null) {
			request.cancel(true); // aborts the exchange; its outcome is ignored (old
									// generation)
		}
		this.first.completeExceptionally(new IllegalStateException("The Kontrol registration was closed"));
		if (wasStarted) {
			// No HTTP deregistration exists: Kontrol's watchdog forgets this kite and the
			// record expires.
			logger.info("Stopped heartbeats to Kontrol {}", this.kontrolUrl);
			this.listener.deregistered();
		}
	}

	@Override
	public String toString() {
		return "KontrolHttpRegistration[" + this.kontrolUrl + "]";
	}

	/** A body handler that keeps at most {@code limit} bytes and stops reading there. */
	static HttpResponse.BodyHandler<byte[]> limited(int limit) {
		return (info) -> new LimitedBody(limit);
	}

	/** Collects a body up to a limit, then cancels the rest, as Go's LimitReader. */
	private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

		private final int limit;

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private final CompletableFuture<byte[]> body = new CompletableFuture<>();

		private Flow.@Nullable Subscription subscription;

		LimitedBody(int limit) {
			this.limit = limit;
		}

		@Override
		public CompletionStage<byte[]> getBody() {
			return this.body;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(1);
		}

		@Override
		public void onNext(List<ByteBuffer> buffers) {
			Flow.Subscription current = Objects.requireNonNull(this.subscription);
			for (ByteBuffer buffer : buffers) {
				int take = Math.min(buffer.remaining(), this.limit - this.bytes.size());
				byte[] chunk = new byte[take];
				buffer.get(chunk);
				this.bytes.write(chunk, 0, take);
				if (this.bytes.size() >= this.limit) {
					current.cancel();
					this.body.complete(this.bytes.toByteArray());
					return;
				}
			}
			current.request(1);
		}

		@Override
		public void onError(Throwable failure) {
			this.body.completeExceptionally(failure);
		}

		@Override
		public void onComplete() {
			this.body.complete(this.bytes.toByteArray());
		}

	}

	/**
	 * A failed exchange with Kontrol's HTTP endpoints; the message is Kontrol's or ours.
	 */
	static final class KontrolHttpException extends RuntimeException {

		KontrolHttpException(String message) {
			super(message, null, false, false);
		}

	}

	/** Builds a {@link KontrolHttpRegistration}. */
	public static final class Builder {

		private final URI kontrolUrl;

		private final Kite kite;

		private final LocalKiteKey kiteKey;

		private final TaskScheduler scheduler;

		private Duration timeout = Duration.ofSeconds(15);

		private ReconnectPolicy backoff = DEFAULT_BACKOFF;

		private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

		private @Nullable KontrolKeyRotation rotation;

		private KontrolRegistrationListener listener = KontrolRegistrationListener.NONE;

		private @Nullable SSLContext sslContext;

		private @Nullable Executor executor;

		private Builder(URI kontrolUrl, Kite kite, LocalKiteKey kiteKey, TaskScheduler scheduler) {
			this.kontrolUrl = Objects.requireNonNull(kontrolUrl, "kontrolUrl");
			if (kontrolUrl.getScheme() == null || kontrolUrl.getRawAuthority() == null) {
				throw new IllegalArgumentException("Kontrol's URL must be absolute: " + kontrolUrl);
			}
			this.kite = Objects.requireNonNull(kite, "kite");
			this.kiteKey = Objects.requireNonNull(kiteKey, "kiteKey");
			this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
		}

		/**
		 * Bounds each request: connecting, and the whole exchange (Go's
		 * {@code Config.Timeout}, 15 s).
		 */
		public Builder timeout(Duration timeout) {
			if (timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("timeout must be positive");
			}
			this.timeout = timeout;
			return this;
		}

		/** The backoff between failed registers (Go's: 30 s, ×1.7, 5 min, ±50 %). */
		public Builder backoff(ReconnectPolicy backoff) {
			this.backoff = Objects.requireNonNull(backoff, "backoff");
			return this;
		}

		/** The jitter's source of numbers in {@code [0, 1)} (tests make it fixed). */
		Builder random(DoubleSupplier random) {
			this.random = Objects.requireNonNull(random, "random");
			return this;
		}

		/** Applies key rotations that Kontrol announces; none by default. */
		public Builder rotation(@Nullable KontrolKeyRotation rotation) {
			this.rotation = rotation;
			return this;
		}

		/** Told of registrations and failures. */
		public Builder listener(KontrolRegistrationListener listener) {
			this.listener = Objects.requireNonNull(listener, "listener");
			return this;
		}

		/** The TLS setup for an {@code https} Kontrol; the JDK default otherwise. */
		public Builder sslContext(@Nullable SSLContext sslContext) {
			this.sslContext = sslContext;
			return this;
		}

		/**
		 * Builds the registration.
		 * @return the registration, not started
		 * @throws IllegalStateException when this kite has no kite key
		 */
		/**
		 * Runs the HTTP client's response handling and the outcomes (default: the JDK
		 * HttpClient's own pool); in an application, its kite executor.
		 * @param executor the executor
		 * @return this builder
		 */
		public Builder executor(Executor executor) {
			this.executor = Objects.requireNonNull(executor, "executor");
			return this;
		}

		public KontrolHttpRegistration build() {
			if (this.kiteKey.get().isEmpty()) {
				throw new IllegalStateException(
						"Registering with Kontrol needs a kite key signed by that Kontrol (kite.key or kite.key-file)");
			}
			return new KontrolHttpRegistration(this);
		}

	}

}
