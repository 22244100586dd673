package dev.kite.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.ReconnectPolicy;
import dev.kite.client.kontrol.KontrolClient;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KontrolQuery;
import org.jspecify.annotations.Nullable;

/**
 * A target server running as a child process, so that its CPU time is measured apart from
 * the generator's: the sample app's jar, the {@link CeilingServer} (this jar's
 * {@code serve --target ceiling}) or kite.js's {@code KiteServer} in Node. Each prints a
 * line naming its port or URL once it listens; output goes to a log file.
 *
 * <p>
 * Threads: created, used and closed by one thread; a short-lived reader thread waits for
 * the ready line (bounded).
 */
public final class Target implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	private static final Pattern TOMCAT_STARTED = Pattern.compile("Tomcat started on port (\\d+)");

	private static final Pattern READY = Pattern.compile("READY (\\S+)");

	private final String name;

	private final Process process;

	private final String url;

	private final @Nullable Path kiteKey;

	private final Path log;

	private Target(String name, Process process, String url, @Nullable Path kiteKey, Path log) {
		this.name = name;
		this.process = process;
		this.url = url;
		this.kiteKey = kiteKey;
		this.log = log;
	}

	/**
	 * The real sample app ({@code java -jar sample-app.jar}) on a loopback ephemeral
	 * port, with its embedded Kontrol's keys in a fresh directory (it writes a kite key
	 * for Kontrol's user there, which {@code squareAuth} accepts).
	 * @param jar the sample app's jar
	 * @param heap the {@code -Xmx} value, e.g. {@code 1g}
	 * @return the running app
	 * @throws IOException when it cannot be started
	 */
	public static Target sample(Path jar, String heap) throws IOException {
		return sample(jar, heap, List.of());
	}

	/**
	 * The sample app as {@link #sample(Path, String)}, with more command-line arguments
	 * (e.g. {@code --kite.server.tomcat-socket-buffer-size=2KB}).
	 * @param jar the sample app's jar
	 * @param heap the {@code -Xmx} value, e.g. {@code 1g}
	 * @param extraArguments appended to the app's arguments
	 * @return the running app
	 * @throws IOException when it cannot be started
	 */
	public static Target sample(Path jar, String heap, List<String> extraArguments) throws IOException {
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("No sample app jar at " + jar.toAbsolutePath()
					+ ": build it first (./mvnw -B -pl sample-app,kite-benchmarks -am package -DskipTests)");
		}
		Path dir = Files.createTempDirectory("kite-benchmarks-sample");
		Path keyDir = dir.resolve("kontrol");
		// Every benchmark connection comes from 127.0.0.1: the per-address SockJS session
		// limit (1,000 by default) would refuse the idle-connection measurement.
		List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + heap, "-jar", jar.toString(), "--server.port=0",
				"--server.address=127.0.0.1", "--kite.kontrol.hostname=127.0.0.1",
				"--kite.kontrol.server.key-dir=" + keyDir, "--kite.server.sockjs.max-sessions-per-address=100000"));
		command.addAll(extraArguments);
		Path log = dir.resolve("sample-app.log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String port = awaitLine(process, TOMCAT_STARTED, log, "sample");
		Path kiteKey = keyDir.resolve("kite.key");
		return new Target("sample", process, "http://127.0.0.1:" + port + "/kite", kiteKey, log);
	}

	/**
	 * The ceiling in a child JVM: {@code serve --target ceiling} of this very program.
	 * @param heap the {@code -Xmx} value
	 * @return the running server
	 * @throws IOException when it cannot be started
	 */
	public static Target ceiling(String heap) throws IOException {
		List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + heap));
		command.addAll(thisProgram());
		command.addAll(List.of("serve", "--target", "ceiling"));
		Path log = Files.createTempFile("kite-benchmarks-ceiling", ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		return new Target("ceiling", process, awaitLine(process, READY, log, "ceiling"), null, log);
	}

	/**
	 * kite.js 1.0.13's {@code KiteServer} (SockJS transport at {@code /kite}) serving
	 * {@code square}, run by Node.
	 * @param script {@code kite-benchmarks/src/main/js/kite-server.js}
	 * @return the running server
	 * @throws IOException when it cannot be started
	 */
	public static Target kiteJs(Path script) throws IOException {
		Path modules = script.toAbsolutePath().resolveSibling("../../../node_modules/kite.js").normalize();
		if (!Files.isDirectory(modules)) {
			throw new IllegalStateException(modules + " is missing: run 'npm ci' in kite-benchmarks (the build does)");
		}
		Path log = Files.createTempFile("kite-benchmarks-kitejs", ".log");
		Process process = new ProcessBuilder("node", script.toString(), "0").redirectErrorStream(true).start();
		String port = awaitLine(process, READY, log, "kite.js");
		return new Target("kitejs", process, "http://127.0.0.1:" + port + "/kite", null, log);
	}

	/** The command line that runs this program (the jar, or the classes in a build). */
	static List<String> thisProgram() {
		String classPath = System.getProperty("java.class.path", "");
		if (classPath.endsWith("kite-benchmarks.jar") && !classPath.contains(java.io.File.pathSeparator)) {
			return List.of("-jar", classPath);
		}
		return List.of("-cp", classPath, "dev.kite.benchmarks.KiteBenchmarks");
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * Copies the child's output to its log until a line matches, then on in the
	 * background; bounded by {@link #STARTUP_TIMEOUT}.
	 */
	private static String awaitLine(Process process, Pattern pattern, Path log, String name) throws IOException {
		CompletableFuture<String> found = new CompletableFuture<>();
		Thread copier = new Thread(() -> {
			try (BufferedReader reader = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = reader.readLine(); line != null; line = reader.readLine()) {
					Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
							java.nio.file.StandardOpenOption.APPEND);
					Matcher matcher = pattern.matcher(line);
					if (!found.isDone() && matcher.find()) {
						found.complete(matcher.group(1));
					}
				}
				found.completeExceptionally(new IllegalStateException(name + " exited before it was ready"));
			}
			catch (IOException ex) {
				found.completeExceptionally(ex);
			}
		}, name + "-output");
		copier.setDaemon(true);
		copier.start();
		try {
			return found.get(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			process.destroyForcibly();
			String tail = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
			throw new IllegalStateException("The " + name + " target did not start within " + STARTUP_TIMEOUT + ": "
					+ ex + "\n" + tail.substring(Math.max(0, tail.length() - 4000)), ex);
		}
	}

	/** {@code sample}, {@code ceiling} or {@code kitejs}. */
	public String name() {
		return this.name;
	}

	/** The SockJS base URL, {@code http://127.0.0.1:PORT/kite}. */
	public String url() {
		return this.url;
	}

	/** A kite key the target accepts, or {@code null}. */
	public @Nullable Path kiteKey() {
		return this.kiteKey;
	}

	/**
	 * A token for the sample app's {@code math} kite, issued by its embedded Kontrol as a
	 * kite's client gets one: {@code getToken} over dnode, authenticated with the kite
	 * key. The app registers itself shortly after it listens, and Kontrol issues tokens
	 * only for registered kites, so this asks again until it succeeds or the time is up.
	 * @param timeout how long to try
	 * @return the token (a JWT)
	 * @throws Exception when the target has no kite key, or no token came in time
	 */
	public String token(Duration timeout) throws Exception {
		if (this.kiteKey == null) {
			throw new IllegalStateException(this.name + " has no kite key to ask its Kontrol for a token with");
		}
		KiteKey key = KiteKey.parse(Files.readString(this.kiteKey).strip());
		URI kontrolUrl = URI.create(this.url.substring(0, this.url.length() - "/kite".length()) + "/kontrol");
		Kite me = new Kite("kite-benchmarks", key.username(), Kite.newId(), "development", "", "1.0.0", "127.0.0.1");
		KontrolQuery math = KontrolQuery.parse("/" + key.username() + "/development/math");
		long deadline = System.nanoTime() + timeout.toNanos();
		try (KiteClientFactory factory = KiteClientFactory.builder().build();
				KontrolClient kontrol = KontrolClient.create(factory,
						KontrolClient.options(kontrolUrl, me).reconnect(ReconnectPolicy.disabled()).build(),
						new LocalKiteKey(key), null)) {
			while (true) {
				try {
					return kontrol.getToken(math, false).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (ExecutionException ex) {
					if (System.nanoTime() - deadline > 0) {
						throw new IllegalStateException("No token from " + kontrolUrl + " within " + timeout, ex);
					}
					Thread.sleep(200); // not registered yet: ask again
				}
			}
		}
	}

	/** The process id. */
	public long pid() {
		return this.process.pid();
	}

	/** Its CPU time so far, or -1. */
	public long cpuNanos() {
		return LoadGenerator.processCpuNanos(this.process.pid());
	}

	/**
	 * The heap in use after a full GC, through {@code jcmd} (a JVM target only).
	 * @return bytes, or -1 when jcmd could not tell
	 * @throws Exception when jcmd cannot be run
	 */
	public long heapAfterGc() throws Exception {
		String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
		run(jcmd, Long.toString(pid()), "GC.run");
		String info = run(jcmd, Long.toString(pid()), "GC.heap_info");
		// G1: " garbage-first heap total 262144K, used 12345K [..."
		Matcher used = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K").matcher(info);
		return used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
	}

	private static String run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
			try {
				return process.getInputStream().readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(String.join(" ", command) + " did not end within 60 s");
		}
		return new String(output.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
	}

	/** Where its output went. */
	public Path log() {
		return this.log;
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
	}

}
