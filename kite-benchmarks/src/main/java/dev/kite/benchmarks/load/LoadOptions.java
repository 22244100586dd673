package dev.kite.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.kite.benchmarks.BenchmarkArguments;
import dev.kite.benchmarks.BenchmarkArguments.UsageException;
import org.jspecify.annotations.Nullable;

/**
 * What one closed-loop run does: the options of {@code load} and {@code client}.
 *
 * @param url the kite's SockJS base URL, {@code http://host:port/kite}
 * @param method the method to call
 * @param args {@code withArgs}, a JSON array
 * @param connections C, the connections
 * @param inFlight N, the calls in flight per connection
 * @param warmup how long to run before measuring
 * @param duration how long to measure
 * @param calls end the window after this many calls (0: no limit)
 * @param transport {@code sockjs}, {@code websocket} (raw) or {@code xhr}
 * @param authType {@code kiteKey} or {@code token}, or {@code null} without auth
 * @param authKey the kite key or token JWT, or {@code null}
 * @param timeout a call unanswered this long is an error and ends the run; also bounds
 * dials (at least 10 s)
 */
public record LoadOptions(URI url, String method, String args, int connections, int inFlight, Duration warmup,
		Duration duration, long calls, String transport, @Nullable String authType, @Nullable String authKey,
		Duration timeout) {

	/** The transports. */
	public static final List<String> TRANSPORTS = List.of("sockjs", "websocket", "xhr");

	static final String USAGE = """
			  --url URL            the kite's SockJS base URL, http://host:port/kite (required)
			  --method NAME        the method (square)
			  --args JSON_ARRAY    withArgs ([4])
			  --conns C            connections (1)
			  --inflight N         calls in flight per connection (1)
			  --warmup 5s          not measured
			  --duration 10s       measured
			  --calls 0            end the window after this many calls (0: no limit)
			  --transport sockjs|websocket|xhr   SockJS WebSocket, raw WebSocket at URL/websocket, SockJS XHR polling
			  --kite-key FILE      authenticate with this kite.key (type kiteKey)
			  --token JWT          authenticate with this token (type token)
			  --timeout 10s        a call unanswered this long is an error and ends the run
			""";

	/**
	 * Reads the options.
	 * @param arguments the command line
	 * @return the options
	 */
	public static LoadOptions from(BenchmarkArguments arguments) {
		String url = arguments.optionalString("url");
		if (url == null) {
			throw new UsageException("Option --url is required");
		}
		URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
		if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
			throw new UsageException("Option --url must be an http(s) URL such as http://127.0.0.1:8080/kite");
		}
		String args = arguments.string("args", "[4]").strip();
		if (!args.startsWith("[") || !args.endsWith("]")) {
			throw new UsageException("Option --args must be a JSON array but was '" + args + "'");
		}
		String keyFile = arguments.optionalString("kite-key");
		String token = arguments.optionalString("token");
		if (keyFile != null && token != null) {
			throw new UsageException("Give --kite-key or --token, not both");
		}
		String authType = null;
		String authKey = null;
		if (keyFile != null) {
			authType = "kiteKey";
			authKey = readKey(Path.of(keyFile));
		}
		else if (token != null) {
			authType = "token";
			authKey = token;
		}
		LoadOptions options = new LoadOptions(uri, arguments.string("method", "square"), args,
				arguments.integer("conns", 1, 1), arguments.integer("inflight", 1, 1),
				arguments.duration("warmup", Duration.ofSeconds(5)),
				arguments.duration("duration", Duration.ofSeconds(10)), arguments.integer("calls", 0, 0),
				arguments.choice("transport", "sockjs", TRANSPORTS), authType, authKey,
				arguments.duration("timeout", Duration.ofSeconds(10)));
		if (options.timeout.isZero()) {
			throw new UsageException("Option --timeout must be positive");
		}
		return options;
	}

	private static String readKey(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the kite key " + file, ex);
		}
	}

	/** {@code C×N}. */
	public String shape() {
		return this.connections + "x" + this.inFlight;
	}

}
