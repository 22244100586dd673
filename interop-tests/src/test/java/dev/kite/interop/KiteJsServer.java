package dev.kite.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real kite.js 1.0.13 {@code KiteServer} ({@code src/test/js/kite-server.js}) running
 * in Node on a free port: started by {@link #start(String)}, ready once the script prints
 * {@code READY <port>}, stopped by {@link #close()} (stdin is closed, then the process is
 * destroyed; a shutdown hook covers a dying test JVM). The script's stderr goes to
 * {@code target/kite-js-server-<mode>-<port>.log} ({@code KITE_SERVER_TRACE=1} is set, so
 * every frame in both directions is logged there).
 */
public final class KiteJsServer implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

	private final Process process;

	private final String mode;

	// Set once from the READY line, before start() hands the server out.
	private int port;

	private final Path log;

	private final Thread shutdownHook;

	private KiteJsServer(Process process, String mode, Path log) {
		this.process = process;
		this.mode = mode;
		this.log = log;
		this.shutdownHook = new Thread(this.process::destroyForcibly, "kite-js-server-killer");
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/**
	 * Starts {@code node src/test/js/kite-server.js <mode> <free port>} and waits for its
	 * READY line.
	 * @param mode {@code raw} or {@code sockjs}
	 * @return the running server
	 */
	public static KiteJsServer start(String mode) {
		if (!Files.isDirectory(Path.of("node_modules", "kite.js"))) {
			throw new IllegalStateException("node_modules/kite.js is missing in " + Path.of("").toAbsolutePath()
					+ ": the build runs 'npm ci' in generate-test-resources; run it by hand when running tests from an IDE");
		}
		// Port 0: the OS picks a free port when the server binds, and READY names it (no
		// probe-then-reuse race).
		Path log = Path.of("target",
				"kite-js-server-" + mode + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".log");
		List<String> command = List.of(System.getProperty("kite.interop.node", "node"),
				Path.of("src", "test", "js", "kite-server.js").toString(), mode, "0");
		Process process;
		try {
			Files.createDirectories(log.getParent());
			ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
			builder.environment().put("KITE_SERVER_TRACE", "1");
			process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command + " (is Node.js installed?)", ex);
		}
		KiteJsServer server = new KiteJsServer(process, mode, log);
		BufferedReader stdout = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
			try {
				return stdout.readLine();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
		String line;
		try {
			line = firstLine.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			server.close();
			throw new IllegalStateException("kite.js server did not print READY within " + STARTUP_TIMEOUT + ": " + ex
					+ "\n" + server.logTail(), ex);
		}
		catch (InterruptedException ex) {
			server.close();
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting the kite.js server", ex);
		}
		if (line == null || !line.matches("READY [1-9][0-9]*")) {
			server.close();
			throw new IllegalStateException(
					"kite.js server printed '" + line + "' instead of 'READY <port>'\n" + server.logTail());
		}
		server.port = Integer.parseInt(line.substring("READY ".length()));
		return server;
	}

	/** {@code raw} or {@code sockjs}. */
	public String mode() {
		return this.mode;
	}

	/** The port it listens on. */
	public int port() {
		return this.port;
	}

	/** {@code http://127.0.0.1:PORT/kite}: the SockJS base URL (sockjs mode). */
	public String sockJsUrl() {
		return "http://127.0.0.1:" + this.port + "/kite";
	}

	/**
	 * A raw WebSocket URL: {@code ws://127.0.0.1:PORT/kite/websocket} (in raw mode any
	 * path works; in sockjs mode this is sockjs-node's raw endpoint).
	 */
	public String rawWebSocketUrl() {
		return "ws://127.0.0.1:" + this.port + "/kite/websocket";
	}

	/** Whether the Node process is still running. */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * The last lines of its stderr log (frames traced by the script), for failure
	 * messages.
	 */
	public String logTail() {
		try {
			List<String> lines = Files.exists(this.log) ? Files.readAllLines(this.log) : List.of();
			return "--- " + this.log + " (last 40 lines) ---\n"
					+ String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "(could not read " + this.log + ": " + ex + ")";
		}
	}

	@Override
	public void close() {
		try {
			this.process.getOutputStream().close(); // the script exits when stdin closes
			if (!this.process.waitFor(3, TimeUnit.SECONDS)) {
				this.process.destroy(); // SIGTERM
				if (!this.process.waitFor(2, TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				}
			}
		}
		catch (IOException ex) {
			this.process.destroyForcibly();
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is shutting down: the hook runs anyway
		}
	}

}
