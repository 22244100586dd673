package dev.kite.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import dev.kite.benchmarks.BenchmarkArguments;
import dev.kite.benchmarks.BenchmarkCommand;

/**
 * {@code serve --target ceiling|sample|kitejs}: starts a target, prints
 * {@code READY <url>} (and for the sample app {@code KITE_KEY <file>}), and serves until
 * standard input closes (Ctrl-D, or the parent process ending).
 */
public final class ServeCommand implements BenchmarkCommand {

	private final InputStream stdin;

	/**
	 * @param stdin the input whose end stops the server
	 */
	public ServeCommand(InputStream stdin) {
		this.stdin = stdin;
	}

	@Override
	public String name() {
		return "serve";
	}

	@Override
	public String summary() {
		return "starts a target and prints its URL; stops when standard input closes";
	}

	@Override
	public String usage() {
		return """
				  --target ceiling|sample|kitejs   raw Spring WebSocket/SockJS echo, the sample app's jar, kite.js KiteServer
				  --sample-jar sample-app/target/sample-app.jar
				  --kitejs-script kite-benchmarks/src/main/js/kite-server.js
				""";
	}

	@Override
	public int run(BenchmarkArguments arguments, PrintStream out) throws Exception {
		String target = arguments.choice("target", "ceiling", List.of("ceiling", "sample", "kitejs"));
		Path sampleJar = Path.of(arguments.string("sample-jar", StandardCommand.SAMPLE_JAR));
		Path script = Path.of(arguments.string("kitejs-script", StandardCommand.KITEJS_SCRIPT));
		arguments.requireAllRead();
		if (target.equals("ceiling")) {
			try (CeilingServer server = new CeilingServer()) {
				out.println("READY " + server.url());
				out.flush();
				awaitEndOfInput();
			}
			return 0;
		}
		try (Target started = target.equals("sample") ? Target.sample(sampleJar, "1g") : Target.kiteJs(script)) {
			out.println("READY " + started.url());
			if (started.kiteKey() != null) {
				out.println("KITE_KEY " + started.kiteKey());
			}
			out.println("PID " + started.pid() + " (log: " + started.log() + ")");
			out.flush();
			awaitEndOfInput();
		}
		return 0;
	}

	private void awaitEndOfInput() throws IOException {
		byte[] buffer = new byte[256];
		while (this.stdin.read(buffer) >= 0) {
			// served until the input ends
		}
	}

}
