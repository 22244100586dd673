package dev.kite.benchmarks.connections;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kite.benchmarks.BenchmarkArguments;
import dev.kite.benchmarks.BenchmarkCommand;

/**
 * {@code connections}: starts our kite endpoint ({@link ConnectionsServer}) in a child
 * JVM, opens {@code --conns} WebSocket connections to it (raw, SockJS, or half each),
 * calls {@code square(4)} once on each and keeps them all open; then reports the server's
 * heap per connection after a full collection (through {@code jcmd}), calls once more on
 * every connection to check that all are still served, and exits 1 unless every call on
 * every connection was answered. The child runs with {@code --serve}, which prints
 * {@code READY <port>} and serves until its standard input ends.
 */
public final class ConnectionsCommand implements BenchmarkCommand {

	private static final Pattern READY = Pattern.compile("READY (\\d+)");

	private static final int READ_TIMEOUT_MILLIS = 30_000;

	private final InputStream stdin;

	/**
	 * @param stdin the input whose end stops a {@code --serve} child
	 */
	public ConnectionsCommand(InputStream stdin) {
		this.stdin = stdin;
	}

	@Override
	public String name() {
		return "connections";
	}

	@Override
	public String summary() {
		return "many concurrent kite connections to one server, one call each, heap per connection";
	}

	@Override
	public String usage() {
		return """
				  --conns 10000              connections held open at once
				  --transport both           websocket (raw), sockjs, or both (half each)
				  --calls 1                  calls on each connection before the heap is measured: 1, or 0
				                             (idle: a SockJS connection got its "o" frame, a raw one nothing)
				  --histogram 0              print the N classes whose live heap grew most (jcmd
				                             GC.class_histogram with the connections open minus without)
				  --message-buffer 0         the server's kite.server.websocket-message-buffer-size in bytes
				                             (0: the container's default WebSocket message buffers)
				  --socket-buffer 0          the server's kite.server.tomcat-socket-buffer-size in bytes
				                             (0: Tomcat's default, 8 KiB read + 8 KiB write)
				  --heap 1g                  the server JVM's -Xmx
				  --jvm ""                   more options for the server JVM, space-separated
				                             (e.g. -Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=2048)
				  --serve true               (internal) be the server: print READY <port>, serve until stdin ends
				""";
	}

	@Override
	public int run(BenchmarkArguments arguments, PrintStream out) throws Exception {
		int connections = arguments.integer("conns", 10_000, 1);
		String transport = arguments.choice("transport", "both", List.of("websocket", "sockjs", "both"));
		boolean call = arguments.choice("calls", "1", List.of("0", "1")).equals("1");
		int histogram = arguments.integer("histogram", 0, 0);
		int messageBuffer = arguments.integer("message-buffer", 0, 0);
		int socketBuffer = arguments.integer("socket-buffer", 0, 0);
		String heap = arguments.string("heap", "1g");
		String jvm = arguments.string("jvm", "").trim();
		boolean serve = arguments.choice("serve", "false", List.of("true", "false")).equals("true");
		arguments.requireAllRead();
		if (serve) {
			try (ConnectionsServer server = new ConnectionsServer(connections, messageBuffer, socketBuffer)) {
				out.println("READY " + server.port());
				out.flush();
				byte[] buffer = new byte[256];
				while (this.stdin.read(buffer) >= 0) {
					// served until the input ends
				}
			}
			return 0;
		}
		List<String> command = new ArrayList<>(List.of(java("java"), "-Xmx" + heap, "-XX:+UseG1GC"));
		if (!jvm.isEmpty()) {
			command.addAll(List.of(jvm.split("\\s+")));
		}
		command.addAll(thisProgram());
		command.addAll(
				List.of("connections", "--serve", "true", "--conns", Integer.toString(connections), "--message-buffer",
						Integer.toString(messageBuffer), "--socket-buffer", Integer.toString(socketBuffer)));
		Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			int port = awaitReady(server);
			out.println("## server JVM: -Xmx" + heap + " -XX:+UseG1GC " + jvm + ", message buffer "
					+ ((messageBuffer > 0) ? messageBuffer : "default") + ", socket buffer "
					+ ((socketBuffer > 0) ? socketBuffer : "default"));
			return measure(server.pid(), port, connections, transport, call, histogram, out);
		}
		finally {
			server.getOutputStream().close();
			if (!server.waitFor(30, TimeUnit.SECONDS)) {
				server.destroyForcibly();
			}
		}
	}

	private int measure(long pid, int port, int count, String transport, boolean call, int histogram, PrintStream out)
			throws Exception {
		out.println("## connections, " + count + " " + transport + (call ? ", one call each" : ", idle") + ", "
				+ Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
				+ ", load average " + String.format(Locale.ROOT, "%.2f",
						java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
		// Warm up: classes, pools and caches that the first connections create once.
		List<RawConnection> warm = new ArrayList<>();
		int warmServed = open(port, Math.min(count, 100), transport, "warm", true, warm);
		warm.forEach(RawConnection::close);
		if (warmServed < Math.min(count, 100)) {
			out.println("FAILED: warm-up connections not served: " + warmServed);
			return 1;
		}
		long before = heapAfterGc(pid);
		Map<String, long[]> histogramBefore = (histogram > 0) ? classHistogram(pid) : Map.of();
		List<RawConnection> open = new ArrayList<>(count);
		long started = System.nanoTime();
		try {
			int served = open(port, count, transport, "c", call, open);
			double openSeconds = (System.nanoTime() - started) / 1e9;
			long after = heapAfterGc(pid);
			if (histogram > 0) {
				printGrowth(histogramBefore, classHistogram(pid), histogram, count, out);
			}
			int servedAgain = 0;
			for (int i = 0; i < open.size(); i++) {
				servedAgain += call(open.get(i), isSockJs(transport, i)) ? 1 : 0;
			}
			boolean ok = served == count && servedAgain == count;
			out.printf(Locale.ROOT,
					"connections=%d transport=%s served=%d served_again=%d open_s=%.1f heap_before_kib=%d "
							+ "heap_after_kib=%d heap_per_connection_kib=%.1f%s%n",
					count, transport, served, servedAgain, openSeconds, before / 1024, after / 1024,
					(after - before) / 1024.0 / count, ok ? "" : " FAILED: not every connection was served");
			return ok ? 0 : 1;
		}
		finally {
			open.forEach(RawConnection::close);
		}
	}

	/**
	 * Opens {@code count} connections, one call on each unless {@code call} is false; the
	 * number answered (without calls: the number open).
	 */
	private static int open(int port, int count, String transport, String prefix, boolean call,
			List<RawConnection> open) throws IOException {
		int served = 0;
		for (int i = 0; i < count; i++) {
			boolean sockJs = isSockJs(transport, i);
			String path = sockJs ? "/kite/000/" + prefix + i + "/websocket" : "/kite/websocket";
			RawConnection connection = RawConnection.open(port, path, READ_TIMEOUT_MILLIS);
			open.add(connection);
			if (sockJs && !connection.next().equals("o")) {
				continue;
			}
			served += (!call || call(connection, sockJs)) ? 1 : 0;
		}
		return served;
	}

	private static boolean isSockJs(String transport, int i) {
		return transport.equals("sockjs") || (transport.equals("both") && i % 2 == 1);
	}

	/** {@code square(4)}: whether the answer is 16 with no error. */
	private static boolean call(RawConnection connection, boolean sockJs) {
		String call = "{\"method\":\"square\",\"arguments\":[{\"responseCallback\":\"[Function]\",\"withArgs\":[4]}],"
				+ "\"callbacks\":{\"0\":[0,\"responseCallback\"]},\"links\":[]}";
		try {
			connection.send(sockJs ? "[\"" + call.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]" : call);
			String reply = connection.next();
			while (sockJs && reply.equals("h")) {
				reply = connection.next();
			}
			String error = sockJs ? "\\\"error\\\":null" : "\"error\":null";
			return reply.contains(error) && reply.contains("16");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int awaitReady(Process server) throws Exception {
		CompletableFuture<Integer> port = new CompletableFuture<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					Matcher ready = READY.matcher(line);
					if (ready.find()) {
						port.complete(Integer.parseInt(ready.group(1)));
					}
					else if (!port.isDone()) {
						System.err.println("[server] " + line);
					}
				}
				port.completeExceptionally(new IllegalStateException("The server ended before it was ready"));
			}
			catch (IOException ex) {
				port.completeExceptionally(ex);
			}
		}, "connections-server-output");
		reader.setDaemon(true);
		reader.start();
		return port.get(90, TimeUnit.SECONDS);
	}

	/** The heap in use after a full GC, through {@code jcmd}: bytes, -1 when unknown. */
	private static long heapAfterGc(long pid) throws Exception {
		jcmd(pid, "GC.run");
		String info = jcmd(pid, "GC.heap_info");
		// G1: " garbage-first heap total 262144K, used 12345K [..."
		Matcher used = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K").matcher(info);
		return used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
	}

	/**
	 * The live heap by class ({@code jcmd GC.class_histogram}, which collects first):
	 * instances and bytes by class name.
	 */
	private static Map<String, long[]> classHistogram(long pid) throws Exception {
		Map<String, long[]> classes = new HashMap<>();
		// " 1: 12345 67890 java.lang.String (java.base@17)"
		Matcher row = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)")
			.matcher(jcmd(pid, "GC.class_histogram"));
		while (row.find()) {
			classes.put(row.group(3), new long[] { Long.parseLong(row.group(1)), Long.parseLong(row.group(2)) });
		}
		return classes;
	}

	/** The {@code top} classes whose bytes grew most, per connection. */
	private static void printGrowth(Map<String, long[]> before, Map<String, long[]> after, int top, int count,
			PrintStream out) {
		List<Map.Entry<String, long[]>> growth = new ArrayList<>();
		long total = 0;
		for (Map.Entry<String, long[]> entry : after.entrySet()) {
			long[] was = before.getOrDefault(entry.getKey(), new long[2]);
			long[] delta = { entry.getValue()[0] - was[0], entry.getValue()[1] - was[1] };
			total += delta[1];
			growth.add(Map.entry(entry.getKey(), delta));
		}
		growth.sort(Comparator.comparingLong((Map.Entry<String, long[]> entry) -> entry.getValue()[1]).reversed());
		out.printf(Locale.ROOT, "## live heap growth by class, per connection (all classes: %.0f bytes)%n",
				(double) total / count);
		out.println("| class | instances/conn | bytes/conn |");
		out.println("|---|---|---|");
		for (Map.Entry<String, long[]> entry : growth.subList(0, Math.min(top, growth.size()))) {
			out.printf(Locale.ROOT, "| %s | %.2f | %.0f |%n", entry.getKey(), (double) entry.getValue()[0] / count,
					(double) entry.getValue()[1] / count);
		}
	}

	private static String jcmd(long pid, String what) throws Exception {
		Process jcmd = new ProcessBuilder(java("jcmd"), Long.toString(pid), what).redirectErrorStream(true).start();
		String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
			jcmd.destroyForcibly();
			throw new IllegalStateException("jcmd " + what + " did not finish");
		}
		return output;
	}

	private static String java(String tool) {
		return Path.of(System.getProperty("java.home"), "bin", tool).toString();
	}

	/** The command line that runs this program (the jar, or the classes in a build). */
	private static List<String> thisProgram() {
		String classPath = System.getProperty("java.class.path", "");
		if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
			return List.of("-jar", classPath);
		}
		return List.of("-cp", classPath, "dev.kite.benchmarks.KiteBenchmarks");
	}

}
