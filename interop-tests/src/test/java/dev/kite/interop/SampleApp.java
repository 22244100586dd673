package dev.kite.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The sample kite ({@code sample-app/target/sample-app.jar}) running as a separate
 * process on a free loopback port: started with the JVM that runs the tests, ready once
 * {@code GET /kite/info} answers 200, killed by {@link #close()} (and by a shutdown hook
 * if the test JVM exits first).
 *
 * <p>
 * {@code -Dkite.interop.sampleAppJar=PATH} runs another build of the app instead.
 */
public final class SampleApp implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private static final Pattern TOMCAT_STARTED = Pattern.compile("Tomcat started on port (\\d+)");

	private final Process process;

	// Read from the app's log once Tomcat has bound; 0 until then. Written and read by
	// the starting thread.
	private int port;

	private final Path log;

	private final Path keyDir;

	private final Thread shutdownHook;

	private SampleApp(Process process, Path log, Path keyDir) {
		this.process = process;
		this.log = log;
		this.keyDir = keyDir;
		this.shutdownHook = new Thread(this::kill, "sample-app-killer");
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/** The sample kite's username in interop runs (and its embedded Kontrol's). */
	public static final String USERNAME = "interop";

	/** The sample kite's environment in interop runs. */
	public static final String ENVIRONMENT = "test";

	/** The sample kite's name. */
	public static final String NAME = "math";

	/**
	 * A Kontrol key the app of {@link #start()} trusts besides its embedded Kontrol's
	 * ({@code --kite.kontrol.key}), so tests can mint tokens, forged ones too.
	 */
	public static final TestKontrol KONTROL = new TestKontrol();

	private static final Pattern STARTUP_REPORT = Pattern.compile("Kite (/\\S+) serving at");

	/**
	 * Starts the app as it runs out of the box (its embedded Kontrol at {@code /kontrol}
	 * issues its kite key and it registers there), trusting {@link #KONTROL} too
	 * ({@code --kite.kontrol.user}, {@code --kite.kontrol.key}), and waits until it
	 * serves {@code /kite/info}; fails with its log tail if it does not.
	 * @return the running app
	 */
	public static SampleApp start() {
		// The user is the embedded Kontrol's too (kite.username), so the app trusts both
		// keys: the configured one and its Kontrol's.
		return start("--kite.kontrol.user=" + TestKontrol.ISSUER, "--kite.kontrol.key=" + KONTROL.publicKeyPem());
	}

	/**
	 * Starts the app registering with another Kontrol, as a kite in an existing kite
	 * deployment is run: {@code --kite.key-file} (a key that Kontrol issued for
	 * {@link #USERNAME}, which the app trusts that Kontrol by),
	 * {@code --kite.kontrol.url}, {@code --kite.kontrol.server.enabled=false}; waits
	 * until it serves {@code /kite/info}, not until it registered.
	 * @param kontrol the Kontrol
	 * @return the running app
	 */
	public static SampleApp startRegisteringWith(JavaKontrol kontrol) {
		Path keyFile = newRunDirectory("kite-key").resolve("kite.key");
		try {
			Files.writeString(keyFile, kontrol.issueKiteKey(USERNAME) + "\n", StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return start("--kite.key-file=" + keyFile, "--kite.kontrol.server.enabled=false",
				"--kite.kontrol.url=" + kontrol.url());
	}

	private static SampleApp start(String... args) {
		Path jar = jar();
		Path run = newRunDirectory("sample-app");
		Path log = run.resolve("sample-app.log");
		// Each app its own Kontrol key directory: parallel starts must not race on (nor
		// the tests use) ~/.kite/kontrol.
		Path keyDir = run.resolve("kontrol");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		// Port 0: the server binds a port the OS picks, and the log names it (no
		// probe-then-reuse race). The registered URL is the loopback one the tests dial.
		List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString(), "--server.port=0",
				"--server.address=127.0.0.1", "--kite.kontrol.hostname=127.0.0.1", "--kite.username=" + USERNAME,
				"--kite.environment=" + ENVIRONMENT, "--kite.kontrol.server.key-dir=" + keyDir,
				// the client demo finds this app's math kite through whichever Kontrol it
				// uses
				"--kite.clients.math.query=/" + USERNAME + "/" + ENVIRONMENT + "/math"));
		command.addAll(List.of(args));
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + command, ex);
		}
		SampleApp app = new SampleApp(process, log, keyDir);
		try {
			app.awaitReady();
		}
		catch (RuntimeException | Error ex) {
			app.close();
			throw ex;
		}
		return app;
	}

	/** A new directory under {@code target/}, named after the test JVM and a counter. */
	private static Path newRunDirectory(String prefix) {
		Path dir = Path.of("target", prefix + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime())
			.toAbsolutePath();
		try {
			return Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path jar() {
		String configured = System.getProperty("kite.interop.sampleAppJar");
		Path jar = (configured != null && !configured.isBlank()) ? Path.of(configured)
				: Path.of("..", "sample-app", "target", "sample-app.jar");
		jar = jar.toAbsolutePath().normalize();
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("No sample app jar at " + jar
					+ ": build it first (./mvnw -pl sample-app,interop-tests -am verify builds both)");
		}
		return jar;
	}

	private void awaitReady() {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		AtomicReference<String> last = new AtomicReference<>("no answer");
		try {
			Awaitility.await()
				.atMost(STARTUP_TIMEOUT)
				.pollInterval(Duration.ofMillis(200))
				.until(() -> serves(client, last));
		}
		catch (ConditionTimeoutException ex) {
			throw new IllegalStateException("The sample app did not serve GET /kite/info within "
					+ STARTUP_TIMEOUT.toSeconds() + " s (last: " + last.get() + "). Log tail:\n" + logTail(40), ex);
		}
	}

	private boolean serves(HttpClient client, AtomicReference<String> last) throws InterruptedException {
		if (!this.process.isAlive()) {
			throw new IllegalStateException("The sample app exited with code " + this.process.exitValue()
					+ " before serving /kite/info. Log tail:\n" + logTail(40));
		}
		if (this.port == 0) {
			this.port = boundPort();
			if (this.port == 0) {
				last.set("no 'Tomcat started on port' line yet");
				return false;
			}
		}
		HttpRequest info = HttpRequest.newBuilder(URI.create(httpUrl() + "/info"))
			.timeout(Duration.ofSeconds(2))
			.build();
		try {
			HttpResponse<String> response = client.send(info, HttpResponse.BodyHandlers.ofString());
			last.set("HTTP " + response.statusCode() + ": " + response.body());
			return response.statusCode() == 200;
		}
		catch (ConnectException ex) {
			last.set("connection refused");
			return false;
		}
		catch (IOException ex) {
			last.set(ex.toString());
			return false;
		}
	}

	private int boundPort() {
		try {
			Matcher matcher = TOMCAT_STARTED.matcher(Files.readString(this.log, StandardCharsets.UTF_8));
			return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
		}
		catch (IOException ex) {
			return 0;
		}
	}

	/** The port the app listens on (loopback only). */
	public int port() {
		return this.port;
	}

	/** The SockJS base URL, {@code http://127.0.0.1:PORT/kite}. */
	public String httpUrl() {
		return "http://127.0.0.1:" + this.port + "/kite";
	}

	/** The raw WebSocket URL, {@code ws://127.0.0.1:PORT/kite/websocket}. */
	public String rawWebSocketUrl() {
		return "ws://127.0.0.1:" + this.port + "/kite/websocket";
	}

	/**
	 * The embedded Kontrol's SockJS base URL, {@code http://127.0.0.1:PORT/kontrol} (when
	 * it is enabled).
	 */
	public String kontrolUrl() {
		return "http://127.0.0.1:" + this.port + "/kontrol";
	}

	/** The embedded Kontrol's raw WebSocket URL. */
	public String kontrolRawWebSocketUrl() {
		return "ws://127.0.0.1:" + this.port + "/kontrol/websocket";
	}

	/**
	 * The embedded Kontrol's key directory ({@code kite.kontrol.server.key-dir}): its key
	 * pair once it started.
	 */
	public Path kontrolKeyDir() {
		return this.keyDir;
	}

	/**
	 * The app's kite path ({@code /username/environment/name/version/region/hostname/id})
	 * from its startup report.
	 */
	public String kitePath() {
		try {
			Matcher matcher = STARTUP_REPORT.matcher(Files.readString(this.log, StandardCharsets.UTF_8));
			if (matcher.find()) {
				return matcher.group(1);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		throw new IllegalStateException("No startup report in the app's log. Log tail:\n" + logTail(40));
	}

	/**
	 * The app's kite id (a fresh one per start), the last part of {@link #kitePath()}.
	 */
	public String kiteId() {
		String path = kitePath();
		return path.substring(path.lastIndexOf('/') + 1);
	}

	/**
	 * Waits until the app's log has a line containing the text (e.g. its
	 * {@code Registered with Kontrol} line); fails with the log tail if it does not.
	 * @param text the text
	 * @param timeout how long to wait
	 */
	public void awaitLog(String text, Duration timeout) {
		try {
			Awaitility.await("'" + text + "' in the app's log")
				.atMost(timeout)
				.pollInterval(Duration.ofMillis(200))
				.until(() -> Files.readString(this.log, StandardCharsets.UTF_8).contains(text));
		}
		catch (ConditionTimeoutException ex) {
			throw new IllegalStateException("The sample app did not log '" + text + "' within " + timeout.toSeconds()
					+ " s. Log tail:\n" + logTail(40), ex);
		}
	}

	/** Whether the process still runs. */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** The last lines of the app's output, for failure messages. */
	public String logTail(int lines) {
		try {
			List<String> all = Files.readAllLines(this.log, StandardCharsets.UTF_8);
			return String.join("\n", new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())));
		}
		catch (IOException | UncheckedIOException ex) {
			return "(could not read " + this.log + ": " + ex + ")";
		}
	}

	@Override
	public void close() {
		kill();
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is already shutting down: the hook runs anyway
		}
	}

	private void kill() {
		if (!this.process.isAlive()) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "sample-app on port " + this.port + " (pid " + this.process.pid() + ")";
	}

}
