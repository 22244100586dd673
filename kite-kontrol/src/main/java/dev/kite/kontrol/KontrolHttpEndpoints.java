package dev.kite.kontrol;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;

import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.auth.jwt.GoJwt;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.LogSafe;
import dev.kite.protocol.RegisterArgs;
import dev.kite.protocol.RegisterResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Kontrol's HTTP alternative to dnode registration (PROTOCOL §6.9), framework-neutral:
 * the web layer maps {@code POST /register} to {@link #register(byte[])} and
 * {@code GET /heartbeat?id=} to {@link #heartbeat(String)} and writes the
 * {@link HttpAnswer} as it is. Answers follow Go's statuses and bodies; where Go's
 * handler crashes (a missing {@code auth} or {@code kite}) this answers {@code 400}.
 *
 * <p>
 * Each kite registered over HTTP is tracked by id: its heartbeats reset a watchdog
 * (interval + delay) and, while tracked, its record is refreshed every update interval.
 * When the watchdog fires the kite is forgotten (its next heartbeat gets
 * {@code registeragain}) and the record is left to expire.
 *
 * <p>
 * Thread safety: request threads call both methods concurrently; each tracked kite's
 * state is guarded by its own monitor, the table is a concurrent map, timers run on the
 * scheduler.
 */
public final class KontrolHttpEndpoints {

	private static final Logger logger = LoggerFactory.getLogger(KontrolHttpEndpoints.class);

	private final KontrolSettings settings;

	private final KiteStore store;

	private final KontrolKeyPairs keyPairs;

	private final AuthenticationProvider kiteKeyVerifier;

	private final ObjectMapper mapper;

	private final ConcurrentMap<String, Tracked> tracked = new ConcurrentHashMap<>();

	KontrolHttpEndpoints(KontrolSettings settings, KiteStore store, KontrolKeyPairs keyPairs,
			AuthenticationProvider kiteKeyVerifier, ObjectMapper mapper) {
		this.settings = settings;
		this.store = store;
		this.keyPairs = keyPairs;
		this.kiteKeyVerifier = kiteKeyVerifier;
		this.mapper = mapper;
	}

	/**
	 * {@code POST /register} with a JSON {@code RegisterArgs} body ({@code url},
	 * {@code kite} and {@code auth} required). Success: {@code 200} and
	 * {@code {"url":…,"heartbeatInterval":10}} (plus {@code publicKey}/{@code kiteKey}
	 * when re-keyed) and a newline; failures: {@code {"err":"…"}} and a newline with
	 * {@code 400} (input, validation, key), {@code 401} (the kite key fails verification)
	 * or {@code 500} ({@code internal error - register}).
	 * @param body the request body
	 * @return the answer
	 */
	public HttpAnswer register(byte[] body) {
		RegisterArgs args;
		try {
			args = this.mapper.readValue(body, RegisterArgs.class);
		}
		catch (JacksonException ex) {
			return error(400, "wrong register input: '" + ex.getOriginalMessage() + "'");
		}
		if (args == null) {
			return error(400, "wrong register input: 'body is null'");
		}
		Auth auth = args.auth();
		Kite kite = args.kite();
		if (auth == null) {
			return error(400, "wrong register input: 'auth is missing'");
		}
		if (kite == null) {
			return error(400, "wrong register input: 'kite is missing'");
		}
		if (!Auth.KITE_KEY.equals(auth.type())) {
			return error(400, "unexpected authentication type: " + auth.type());
		}
		if (args.url().isEmpty()) {
			return error(400, "empty URL");
		}
		String urlError = Kontrol.urlError(args.url());
		if (urlError != null) {
			return error(400, urlError);
		}
		String username;
		try {
			Authentication verified = this.kiteKeyVerifier
				.authenticate(KiteAuthenticationToken.unauthenticated(auth.type(), auth.key(), kite));
			if (verified == null) {
				return error(401, "kiteKey: not verified");
			}
			username = verified.getName();
		}
		catch (AuthenticationException ex) {
			return error(401, String.valueOf(ex.getMessage()));
		}
		Kite registered = kite.withUsername(username);
		KontrolKeyPairs.Resolution resolution;
		try {
			resolution = this.keyPairs.forKiteKey(GoJwt.parse(auth.key()));
			Kontrol.validate(registered);
		}
		catch (KiteException ex) {
			return error(400, ex.error().message());
		}
		Instant now = this.settings.clock().instant();
		try {
			this.store.upsert(registered, args.url(), resolution.pair().id(), now);
		}
		catch (RuntimeException ex) {
			logger.error("storage add '{}' error", LogSafe.of(registered.toString()), ex);
			return error(500, "internal error - register");
		}
		track(registered, args.url(), resolution.pair().id());
		RegisterResult result = new RegisterResult(args.url(), this.settings.heartbeatInterval().toSeconds(), "",
				resolution.publicKey(), resolution.kiteKey());
		return HttpAnswer.text(200, this.mapper.writeValueAsString(result) + "\n");
	}

	/**
	 * {@code GET /heartbeat?id=<kite id>}: {@code 200 pong} for a tracked kite (its
	 * watchdog is reset), {@code 200 registeragain} for an unknown one, {@code 400}
	 * {@code query id is empty} without an id.
	 * @param id the {@code id} query parameter, or {@code null}
	 * @return the answer
	 */
	public HttpAnswer heartbeat(@Nullable String id) {
		if (id == null || id.isEmpty()) {
			return HttpAnswer.text(400, "query id is empty\n");
		}
		Tracked kite = this.tracked.get(id);
		if (kite != null && kite.heartbeat()) {
			return HttpAnswer.text(200, "pong");
		}
		return HttpAnswer.text(200, "registeragain");
	}

	/** Whether a kite registered over HTTP is tracked (its watchdog has not fired). */
	public boolean isTracked(String kiteId) {
		return this.tracked.containsKey(kiteId);
	}

	/** Stops every watchdog and refresher (Kontrol is stopping). */
	void stopAll() {
		for (Map.Entry<String, Tracked> entry : this.tracked.entrySet()) {
			entry.getValue().forget();
		}
	}

	private void track(Kite kite, String url, String keyId) {
		// Atomic per id: two concurrent registrations of one kite leave one tracker.
		this.tracked.compute(kite.id(), (id, existing) -> {
			if (existing != null && existing.update(url, keyId)) {
				return existing;
			}
			Tracked created = new Tracked(kite, url, keyId);
			created.start();
			return created;
		});
	}

	private static HttpAnswer error(int status, String message) {
		// http.Error(rw, jsonError(err), status): Go's text/plain type and a newline.
		StringBuilder json = new StringBuilder("{\"err\":");
		json.append(quote(message)).append("}\n");
		return HttpAnswer.text(status, json.toString());
	}

	private static String quote(String text) {
		StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				case '\n' -> quoted.append("\\n");
				case '\r' -> quoted.append("\\r");
				case '\t' -> quoted.append("\\t");
				default -> {
					if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
						quoted.append(String.format("\\u%04x", (int) c));
					}
					else {
						quoted.append(c);
					}
				}
			}
		}
		return quoted.append('"').toString();
	}

	/** One kite registered over HTTP; guarded by its own monitor. */
	private final class Tracked {

		private final Kite kite;

		private String url;

		private String keyId;

		private @Nullable ScheduledFuture<?> watchdog;

		private @Nullable ScheduledFuture<?> refresher;

		private boolean forgotten;

		Tracked(Kite kite, String url, String keyId) {
			this.kite = kite;
			this.url = url;
			this.keyId = keyId;
		}

		synchronized void start() {
			KontrolSettings settings = KontrolHttpEndpoints.this.settings;
			Instant now = settings.clock().instant();
			this.refresher = settings.scheduler()
				.scheduleAtFixedRate(this::refresh, now.plus(settings.updateInterval()), settings.updateInterval());
			armWatchdog();
		}

		/** A repeated registration: new URL and key, watchdog reset, record refreshed. */
		synchronized boolean update(String url, String keyId) {
			if (this.forgotten) {
				return false;
			}
			this.url = url;
			this.keyId = keyId;
			armWatchdog();
			return true;
		}

		synchronized boolean heartbeat() {
			if (this.forgotten) {
				return false;
			}
			armWatchdog();
			return true;
		}

		private void armWatchdog() {
			if (this.watchdog != null) {
				this.watchdog.cancel(false);
			}
			KontrolSettings settings = KontrolHttpEndpoints.this.settings;
			this.watchdog = settings.scheduler()
				.schedule(this::forget, settings.clock().instant().plus(settings.watchdog()));
		}

		synchronized void refresh() {
			if (this.forgotten) {
				return;
			}
			Instant now = KontrolHttpEndpoints.this.settings.clock().instant();
			try {
				if (!KontrolHttpEndpoints.this.store.refresh(this.kite.id(), this.url, now)) {
					KontrolHttpEndpoints.this.store.upsert(this.kite, this.url, this.keyId, now);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Cannot refresh kite {}", LogSafe.of(this.kite.toString()), ex);
			}
		}

		void forget() {
			synchronized (this) {
				this.forgotten = true;
				if (this.watchdog != null) {
					this.watchdog.cancel(false);
				}
				if (this.refresher != null) {
					this.refresher.cancel(false);
				}
			}
			// Outside the monitor: track() holds the map's lock for this id while it
			// takes the monitor.
			KontrolHttpEndpoints.this.tracked.remove(this.kite.id(), this);
		}

	}

}
