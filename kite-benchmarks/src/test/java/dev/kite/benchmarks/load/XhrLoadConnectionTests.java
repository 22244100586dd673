package dev.kite.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link XhrLoadConnection} and its {@link HttpChannel}s: keep-alive reuse
 * against our endpoint, and against a scripted server a {@code c[…]} close, a socket the
 * server closes and a request it never answers (each an error that ends the run, none a
 * hang: every wait here is bounded, and the deadline is checked at a time the test
 * gives).
 */
class XhrLoadConnectionTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String SLOT_0 = KiteFrames.request("square", "[2]", KiteFrames.kite(), null, 0);

	private static final String SLOT_1 = KiteFrames.request("square", "[2]", KiteFrames.kite(), null, 1);

	private final IoLoop loop;

	private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

	XhrLoadConnectionTests() throws IOException {
		this.loop = new IoLoop();
	}

	@AfterEach
	void close() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		this.loop.close();
	}

	private static byte[][] frames(String... requests) {
		byte[][] frames = new byte[requests.length][];
		for (int slot = 0; slot < requests.length; slot++) {
			frames[slot] = KiteFrames.quote(requests[slot]).getBytes(StandardCharsets.UTF_8);
		}
		return frames;
	}

	private XhrLoadConnection open(String base, LoadRun run, int senders) throws Exception {
		XhrLoadConnection connection = XhrLoadConnection.open(this.loop, URI.create(base + "/123/abcdef"), run,
				frames(SLOT_0, SLOT_1), senders, TIMEOUT);
		this.closeables.add(connection::close);
		return connection;
	}

	@Test
	void callsReuseKeepAliveSocketsAgainstOurEndpoint() throws Exception {
		InProcessKite kite = new InProcessKite();
		this.closeables.add(kite);
		LoadRun run = new LoadRun(300);
		XhrLoadConnection connection = open(kite.url(), run, 2);
		run.openWindow(System.nanoTime());
		connection.start();
		run.awaitEnd(TimeUnit.MINUTES.toNanos(1));
		assertThat(run.abortReason()).isNull();
		assertThat(run.errors()).isZero();
		assertThat(run.endedEarly()).as("the budget was used").isTrue();
		int[] counts = onLoop(() -> new int[] { connection.requests(), connection.dials() });
		// Tomcat ends a keep-alive connection after 100 requests: one socket per 100.
		assertThat(counts[0]).as("requests").isGreaterThan(150);
		assertThat(counts[1]).as("sockets dialed for %d requests", counts[0]).isLessThan(counts[0] / 20 + 3);
	}

	@Test
	void closeFrameEndsTheRunWithItsCallsAsErrors() throws Exception {
		AtomicInteger polls = new AtomicInteger();
		CompletableFuture<Void> sent = new CompletableFuture<>();
		ScriptedServer server = serve((request) -> {
			if (request.endsWith("/xhr")) {
				return switch (polls.incrementAndGet()) {
					case 1 -> chunked("o\n");
					case 2 -> withLength("h\n");
					default -> {
						// Closed once the calls are in flight, so that they fail.
						sent.orTimeout(1, TimeUnit.MINUTES).join();
						yield withLength("c[3000,\"Go away!\"]\n");
					}
				};
			}
			sent.complete(null);
			return "HTTP/1.1 204 No Content\r\n\r\n";
		});
		LoadRun run = new LoadRun(0);
		XhrLoadConnection connection = open(server.url(), run, 1);
		connection.start();
		run.awaitEnd(TimeUnit.MINUTES.toNanos(1));
		assertThat(run.abortReason()).contains("closed by the server").contains("Go away!");
		assertThat(run.errors()).isEqualTo(2);
		assertThat(run.inFlight()).isZero();
		// The three polls on one socket, the sends on another.
		assertThat(server.accepted()).isEqualTo(2);
		assertThat(server.requests()).filteredOn((request) -> request.startsWith("POST /kite/123/abcdef/xhr_send"))
			.isNotEmpty()
			.allSatisfy((request) -> assertThat(request)
				.endsWith("[" + KiteFrames.quote(SLOT_0) + "," + KiteFrames.quote(SLOT_1) + "]"));
	}

	@Test
	void socketClosedWithASendOutstandingIsAnError() throws Exception {
		CompletableFuture<Void> sendSeen = new CompletableFuture<>();
		AtomicInteger polls = new AtomicInteger();
		ScriptedServer server = serve((request) -> {
			if (request.endsWith("/xhr")) {
				// The first poll opens; the second is held until the test ends.
				return (polls.incrementAndGet() == 1) ? chunked("o\n") : null;
			}
			sendSeen.complete(null);
			return ScriptedServer.CLOSE;
		});
		LoadRun run = new LoadRun(0);
		XhrLoadConnection connection = open(server.url(), run, 1);
		connection.start();
		run.awaitEnd(TimeUnit.MINUTES.toNanos(1));
		assertThat(sendSeen).isDone();
		assertThat(run.abortReason()).contains("xhr_send failed").contains("closed by the server");
		assertThat(run.errors()).isEqualTo(2);
	}

	@Test
	void unansweredSendFailsAtItsDeadline() throws Exception {
		BlockingQueue<String> sends = new LinkedBlockingQueue<>();
		AtomicInteger polls = new AtomicInteger();
		ScriptedServer server = serve((request) -> {
			if (request.endsWith("/xhr")) {
				return (polls.incrementAndGet() == 1) ? chunked("o\n") : null;
			}
			sends.add(request);
			return null;
		});
		LoadRun run = new LoadRun(0);
		XhrLoadConnection connection = open(server.url(), run, 1);
		connection.start();
		assertThat(sends.poll(1, TimeUnit.MINUTES)).as("xhr_send arrived").isNotNull();
		long beforeDeadline = System.nanoTime() + TIMEOUT.toNanos() / 2;
		onLoop(() -> {
			connection.checkDeadlines(beforeDeadline);
			return null;
		});
		assertThat(run.abortReason()).isNull();
		long afterDeadline = System.nanoTime() + TIMEOUT.toNanos() + 1;
		onLoop(() -> {
			connection.checkDeadlines(afterDeadline);
			return null;
		});
		assertThat(run.abortReason()).contains("xhr_send not answered within 10000 ms");
		assertThat(run.errors()).isEqualTo(2);
	}

	@Test
	void unansweredPollFailsAtItsDeadline() throws Exception {
		AtomicInteger polls = new AtomicInteger();
		ScriptedServer server = serve(
				(request) -> (request.endsWith("/xhr") && polls.incrementAndGet() == 1) ? chunked("o\n") : null);
		LoadRun run = new LoadRun(0);
		XhrLoadConnection connection = open(server.url(), run, 1);
		// The second poll (sent after the open) is held.
		long afterDeadline = System.nanoTime() + TIMEOUT.toNanos() + XhrLoadConnection.POLL_GRACE.toNanos() + 1;
		onLoop(() -> {
			connection.checkDeadlines(afterDeadline);
			return null;
		});
		assertThat(run.abortReason()).contains("xhr poll not answered");
	}

	private <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
		CompletableFuture<T> result = new CompletableFuture<>();
		this.loop.execute(() -> {
			try {
				result.complete(task.call());
			}
			catch (Exception ex) {
				result.completeExceptionally(ex);
			}
		});
		return result.get(1, TimeUnit.MINUTES);
	}

	private ScriptedServer serve(Function<String, String> script) throws IOException {
		ScriptedServer server = new ScriptedServer(script);
		this.closeables.add(server);
		return server;
	}

	private static String chunked(String body) {
		return "HTTP/1.1 200 \r\nContent-Type: application/javascript;charset=UTF-8\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
	}

	private static String withLength(String body) {
		return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
	}

	/**
	 * An HTTP/1.1 server on a loopback ephemeral port that answers each request (its
	 * request line, then its body) as a script says: a response, {@code null} to hold it
	 * unanswered, or {@link #CLOSE} to close the socket. One thread per socket; closing
	 * the server closes them all.
	 */
	static final class ScriptedServer implements AutoCloseable {

		static final String CLOSE = "CLOSE";

		private final ServerSocket serverSocket;

		private final Function<String, String> script;

		private final List<Socket> sockets = new CopyOnWriteArrayList<>();

		private final List<String> requests = new CopyOnWriteArrayList<>();

		private final Thread acceptor;

		ScriptedServer(Function<String, String> script) throws IOException {
			this.script = script;
			this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			this.acceptor = new Thread(this::accept, "scripted-http");
			this.acceptor.setDaemon(true);
			this.acceptor.start();
		}

		String url() {
			return "http://127.0.0.1:" + this.serverSocket.getLocalPort() + "/kite";
		}

		int accepted() {
			return this.sockets.size();
		}

		List<String> requests() {
			return this.requests;
		}

		private void accept() {
			try {
				while (true) {
					Socket socket = this.serverSocket.accept();
					this.sockets.add(socket);
					Thread thread = new Thread(() -> serve(socket), "scripted-http-" + this.sockets.size());
					thread.setDaemon(true);
					thread.start();
				}
			}
			catch (IOException ex) {
				// Closed.
			}
		}

		private void serve(Socket socket) {
			try (socket) {
				InputStream in = socket.getInputStream();
				OutputStream out = socket.getOutputStream();
				boolean held = false;
				while (true) {
					String head = readHead(in);
					if (head == null) {
						return;
					}
					int length = contentLength(head);
					String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
					String requestLine = head.substring(0, head.indexOf("\r\n"));
					String target = requestLine.substring(0, requestLine.lastIndexOf(' '));
					this.requests.add(target + " " + body);
					if (held) {
						continue;
					}
					String answer = this.script.apply(target);
					if (answer == null) {
						held = true;
						continue;
					}
					if (CLOSE.equals(answer)) {
						return;
					}
					out.write(answer.getBytes(StandardCharsets.UTF_8));
					out.flush();
				}
			}
			catch (IOException ex) {
				// The client or the test closed it.
			}
		}

		private static String readHead(InputStream in) throws IOException {
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			int matched = 0;
			while (matched < 4) {
				int b = in.read();
				if (b < 0) {
					return null;
				}
				head.write(b);
				matched = (b == ((matched % 2 == 0) ? '\r' : '\n')) ? matched + 1 : ((b == '\r') ? 1 : 0);
			}
			return head.toString(StandardCharsets.ISO_8859_1);
		}

		private static int contentLength(String head) {
			for (String line : head.split("\r\n")) {
				if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
					return Integer.parseInt(line.substring(15).trim());
				}
			}
			return 0;
		}

		@Override
		public void close() throws IOException {
			this.serverSocket.close();
			for (Socket socket : this.sockets) {
				socket.close();
			}
		}

	}

}
