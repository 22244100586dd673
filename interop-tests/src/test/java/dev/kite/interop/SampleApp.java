package dev.kite.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
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

/**
 * The sample kite ({@code sample-app/target/sample-app.jar}) running as a separate process on a free
 * loopback port: started with the JVM that runs the tests, ready once {@code GET /kite/info}
 * answers 200, killed by {@link #close()} (and by a shutdown hook if the test JVM exits first).
 *
 * <p>{@code -Dkite.interop.sampleAppJar=PATH} runs another build of the app instead.
 */
public final class SampleApp implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private final Process process;

	private final int port;

	private final Path log;

	private final Thread shutdownHook;

	private SampleApp(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
		this.shutdownHook = new Thread(this::kill, "sample-app-killer");
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/** The sample kite's username in interop runs. */
	public static final String USERNAME = "interop";

	/** The sample kite's environment in interop runs. */
	public static final String ENVIRONMENT = "test";

	/** The Kontrol the app trusts during the run. */
	public static final TestKontrol KONTROL = new TestKontrol();

	/** Starts the app and waits until it serves {@code /kite/info}; fails with its log tail if it does not. */
	public static SampleApp start() {
		Path jar = jar();
		int port = freePort();
		Path log = Path.of("target", "sample-app-" + port + ".log").toAbsolutePath();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		// The app trusts a Kontrol key made for this run, so tests can mint tokens for squareAuth.
		List<String> command = List.of(java, "-Xmx256m", "-jar", jar.toString(),
				"--server.port=" + port, "--server.address=127.0.0.1", "--kite.username=" + USERNAME,
				"--kite.environment=" + ENVIRONMENT, "--kite.kontrol.user=" + TestKontrol.ISSUER,
				"--kite.kontrol.key=" + KONTROL.publicKeyPem());
		Process process;
		try {
			Files.createDirectories(log.getParent());
			process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + command, ex);
		}
		SampleApp app = new SampleApp(process, port, log);
		try {
			app.awaitReady();
		}
		catch (RuntimeException | Error ex) {
			app.close();
			throw ex;
		}
		return app;
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

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port", ex);
		}
	}

	private void awaitReady() {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpRequest info = HttpRequest.newBuilder(URI.create(httpUrl() + "/info"))
			.timeout(Duration.ofSeconds(2))
			.build();
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		String last = "no answer";
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The sample app exited with code " + this.process.exitValue()
						+ " before serving /kite/info. Log tail:\n" + logTail(40));
			}
			try {
				HttpResponse<String> response = client.send(info, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
				last = "HTTP " + response.statusCode() + ": " + response.body();
			}
			catch (ConnectException ex) {
				last = "connection refused";
			}
			catch (IOException ex) {
				last = ex.toString();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for the sample app", ex);
			}
			sleep(200);
		}
		throw new IllegalStateException("The sample app did not serve GET " + httpUrl() + "/info within "
				+ STARTUP_TIMEOUT.toSeconds() + " s (last: " + last + "). Log tail:\n" + logTail(40));
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
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
