package dev.kite.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a Node script from {@code src/test/js} with the machine's {@code node} (or
 * {@code -Dkite.interop.node=PATH}), bounded in time, and collects what it printed: every
 * stdout line that is a JSON object with a {@code check} key is one check result.
 */
public final class NodeScript {

	private static final Path SCRIPTS = Path.of("src", "test", "js");

	private static final ObjectMapper JSON = JsonMapper.builder().build();

	private NodeScript() {
	}

	/**
	 * Runs {@code node src/test/js/<script> <args…>} with the working directory of this
	 * module (so {@code require('kite.js')} finds {@code node_modules}).
	 * @param timeout how long the script may run before it is killed
	 * @return its exit code, output and checks
	 */
	public static Result run(Duration timeout, String script, String... args) {
		return run(timeout, java.util.Map.of(), script, args);
	}

	/**
	 * Runs a script with extra environment variables (e.g. credentials, kept off the
	 * command line).
	 * @param timeout how long the script may run before it is killed
	 * @param environment variables to add
	 * @param script the script under {@code src/test/js}
	 * @param args its arguments
	 * @return its exit code, output and checks
	 */
	public static Result run(Duration timeout, java.util.Map<String, String> environment, String script,
			String... args) {
		if (!Files.isDirectory(Path.of("node_modules", "kite.js"))) {
			throw new IllegalStateException("node_modules/kite.js is missing in " + Path.of("").toAbsolutePath()
					+ ": the build runs 'npm ci' in generate-test-resources; run it by hand when running tests from an IDE");
		}
		List<String> command = new ArrayList<>();
		command.add(System.getProperty("kite.interop.node", "node"));
		command.add(SCRIPTS.resolve(script).toString());
		command.addAll(List.of(args));
		Process process;
		try {
			ProcessBuilder builder = new ProcessBuilder(command);
			builder.environment().putAll(environment);
			process = builder.start();
			process.getOutputStream().close(); // no input
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command + " (is Node.js installed?)", ex);
		}
		CompletableFuture<String> stdout = readAll(process.getInputStream());
		CompletableFuture<String> stderr = readAll(process.getErrorStream());
		long started = System.nanoTime();
		boolean finished;
		try {
			finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (!finished) {
				process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command, ex);
		}
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		String out = stdout.join();
		String err = stderr.join();
		return new Result(String.join(" ", command), finished ? process.exitValue() : -1, !finished, took, out, err,
				parseChecks(out));
	}

	private static CompletableFuture<String> readAll(InputStream stream) {
		return CompletableFuture.supplyAsync(() -> {
			try (stream) {
				ByteArrayOutputStream buffer = new ByteArrayOutputStream();
				stream.transferTo(buffer);
				return buffer.toString(StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				return "(could not read: " + ex + ")";
			}
		});
	}

	private static Map<String, JsonNode> parseChecks(String stdout) {
		Map<String, JsonNode> checks = new LinkedHashMap<>();
		for (String line : stdout.split("\n")) {
			if (!line.startsWith("{")) {
				continue;
			}
			try {
				JsonNode node = JSON.readTree(line);
				if (node.hasNonNull("check")) {
					checks.put(node.get("check").asString(), node);
				}
			}
			catch (JacksonException ex) {
				// not one of ours: kept in stdout for the failure message
			}
		}
		return checks;
	}

	/**
	 * What a script run produced.
	 *
	 * @param command the command line
	 * @param exitCode the exit code, -1 when it was killed
	 * @param timedOut whether it was killed for running too long
	 * @param took how long it ran
	 * @param stdout its standard output
	 * @param stderr its standard error
	 * @param checks check name → the JSON line it printed for it
	 */
	public record Result(String command, int exitCode, boolean timedOut, Duration took, String stdout, String stderr,
			Map<String, JsonNode> checks) {

		/**
		 * The named check's line; fails with the whole run's output if the script did not
		 * print one.
		 */
		public JsonNode check(String name) {
			JsonNode node = this.checks.get(name);
			if (node == null) {
				throw new AssertionError("The script printed no result for check '" + name + "'.\n" + describe());
			}
			return node;
		}

		/** Command, exit status, stdout and stderr, for failure messages. */
		public String describe() {
			return "command: " + this.command + "\nexit: "
					+ (this.timedOut ? "killed after " + this.took : this.exitCode) + "\n--- stdout ---\n"
					+ abbreviate(this.stdout) + "\n--- stderr ---\n" + abbreviate(this.stderr);
		}

		private static String abbreviate(String text) {
			return (text.length() <= 6000) ? text : text.substring(0, 6000) + "… (" + text.length() + " chars)";
		}

	}

}
