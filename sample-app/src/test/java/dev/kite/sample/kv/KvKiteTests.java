package dev.kite.sample.kv;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.dnode.KiteCallback;
import dev.kite.protocol.Auth;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.test.autoconfigure.AutoConfigureEmbeddedKontrol;
import dev.kite.test.kontrol.KiteTestKeys;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The key-value kite over the wire, as other kites see it: each test dials the app's
 * {@code /kite} endpoint with {@link KiteClientFactory}, writers with a kite key the
 * app's embedded Kontrol issues ({@link KiteTestKeys}, the public test support). Each
 * test uses keys of its own (one app serves them all).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.kv.authenticated-writes=true")
@AutoConfigureEmbeddedKontrol
class KvKiteTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	int port;

	@Autowired
	KiteClientFactory clients;

	@Autowired
	KiteTestKeys keys;

	@Autowired
	KvWatchers watchers;

	private final List<KiteConnection> connections = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() {
		this.connections.forEach(KiteConnection::close);
	}

	@Test
	void putThenGetThenStalePutIsRefusedWithTheCurrentVersion() {
		KiteConnection writer = connect("alice");
		assertThat(writer.method("kv.put").args("color", "red", 0).await(Long.class)).isEqualTo(1);
		assertThat(writer.method("kv.get").args("color").await(KvValue.class)).isEqualTo(new KvValue("red", 1));
		assertThat(writer.method("kv.put").args("color", "green", 1).await(Long.class)).isEqualTo(2);

		KiteException stale = kiteError(() -> writer.method("kv.put").args("color", "blue", 1).await());
		assertThat(stale.type()).isEqualTo(KvKite.VERSION_CONFLICT);
		assertThat(stale.error().code()).isEqualTo("2");
		KiteException notNew = kiteError(() -> writer.method("kv.put").args("color", "blue", 0).await());
		assertThat(notNew.error().code()).isEqualTo("2");
		KiteException ahead = kiteError(() -> writer.method("kv.put").args("shape", "round", 3).await());
		assertThat(ahead.type()).isEqualTo(KvKite.VERSION_CONFLICT);
		assertThat(ahead.error().code()).as("a key that does not exist is at version 0").isEqualTo("0");

		assertThat(writer.method("kv.get").args("color").await(KvValue.class)).isEqualTo(new KvValue("green", 2));
	}

	@Test
	void getOfAnUnknownKeyIsKeyNotFound() {
		KiteConnection reader = connect(null);
		assertThat(kiteError(() -> reader.method("kv.get").args("never-put").await()).type())
			.isEqualTo(KvKite.KEY_NOT_FOUND);
	}

	@Test
	void badInputIsAnArgumentError() {
		KiteConnection writer = connect("alice");
		String longestKey = "k".repeat(KvKite.MAX_KEY_LENGTH);
		String largestValue = "é".repeat(KvKite.MAX_VALUE_BYTES / 2); // 2 bytes each in
																		// UTF-8
		assertThat(writer.method("kv.put").args(longestKey, largestValue, 0).await(Long.class)).isEqualTo(1);
		assertThat(writer.method("kv.put").args("args", "v", 0.0).await(Long.class))
			.as("a JavaScript number with no fraction is a version")
			.isEqualTo(1);

		List<Object[]> bad = List.of(new Object[] { "kv.get" }, new Object[] { "kv.get", "" },
				new Object[] { "kv.get", 7 }, new Object[] { "kv.get", longestKey + "k" },
				new Object[] { "kv.put", "args", "v" }, new Object[] { "kv.put", "args", 5, 1 },
				new Object[] { "kv.put", "args", "v", -1 }, new Object[] { "kv.put", "args", "v", 1.5 },
				new Object[] { "kv.put", "args", "v", "1" }, new Object[] { "kv.put", "", "v", 0 },
				new Object[] { "kv.put", "args", largestValue + "x", 1 }, new Object[] { "kv.watch" },
				new Object[] { "kv.watch", "not a function" });
		for (Object[] call : bad) {
			Object[] arguments = Arrays.copyOfRange(call, 1, call.length);
			KiteException error = kiteError(() -> writer.method((String) call[0]).args(arguments).await());
			assertThat(error.type()).as(Arrays.toString(call)).isEqualTo(KiteErrorTypes.ARGUMENT_ERROR);
		}
		assertThat(writer.method("kv.get").args("args").await(KvValue.class)).isEqualTo(new KvValue("v", 1));
	}

	@Test
	void writesNeedAuthenticationReadsDoNot() {
		connect("alice").method("kv.put").args("open", "door", 0).await();
		KiteConnection anonymous = connect(null);
		assertThat(kiteError(() -> anonymous.method("kv.put").args("open", "window", 1).await()).type())
			.isEqualTo(KiteErrorTypes.AUTHENTICATION_ERROR);
		assertThat(anonymous.method("kv.get").args("open").await(KvValue.class)).isEqualTo(new KvValue("door", 1));
	}

	@Test
	void watcherReceivesPutsOfAnotherClientUntilItsConnectionCloses() {
		int before = this.watchers.count();
		KiteConnection watcher = connect(null);
		List<JsonNode> received = new CopyOnWriteArrayList<>();
		watcher.method("kv.watch").args((KiteCallback) (arguments) -> received.add(arguments[0])).await();
		assertThat(this.watchers.count()).isEqualTo(before + 1);

		KiteConnection writer = connect("bob");
		writer.method("kv.put").args("watched", "one", 0).await();
		writer.method("kv.put").args("watched", "two", 1).await();
		await("both puts reach the watcher").atMost(WAIT).until(() -> received.size() == 2);
		assertThat(received.get(0).toString()).isEqualTo("{\"key\":\"watched\",\"value\":\"one\",\"version\":1}");
		assertThat(received.get(1).toString()).isEqualTo("{\"key\":\"watched\",\"value\":\"two\",\"version\":2}");

		watcher.close();
		await("the watch ends with its connection").atMost(WAIT).until(() -> this.watchers.count() == before);
	}

	/**
	 * A peer that watches and then stops reading its socket: the server's writes to it
	 * stall once the TCP buffers are full. The puts of another client still answer well
	 * within their timeout, and the watcher is dropped: the server closes the connection
	 * once its unsent replies pass {@code kite.server.send-buffer-size-limit} (4 MiB,
	 * about 70 of these events), which ends the watch; a watcher whose queue (256)
	 * overflows first is dropped too (KvWatchersTests).
	 */
	@Test
	void watcherThatStopsReadingDoesNotDelayPuts() throws Exception {
		int before = this.watchers.count();
		WebSocket stalled = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + this.port + "/kite/0/stalled/websocket"),
					new WebSocket.Listener() {
						@Override
						public void onOpen(WebSocket webSocket) {
							// No request(n): this peer reads nothing, ever.
						}
					})
			.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		try {
			// A SockJS frame carrying one dnode call: kv.watch(fn), fn being callback 1.
			String watch = "{\"method\":\"kv.watch\",\"arguments\":[{\"kite\":{\"id\":\"stalled\",\"username\":\"\","
					+ "\"environment\":\"\",\"name\":\"stalled\",\"version\":\"1.0.0\",\"region\":\"\",\"hostname\":\"\"},"
					+ "\"authentication\":null,\"responseCallback\":\"[Function]\",\"withArgs\":[\"[Function]\"]}],"
					+ "\"callbacks\":{\"0\":[0,\"responseCallback\"],\"1\":[0,\"withArgs\",0]}}";
			stalled.sendText("[\"" + watch.replace("\"", "\\\"") + "\"]", true)
				.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			await("the stalled peer watches").atMost(WAIT).until(() -> this.watchers.count() == before + 1);

			KiteConnection writer = connect("carol");
			String value = "x".repeat(60 * 1024);
			// Each put must answer within 5 s, although the server's writes to the
			// stalled peer stall once the socket buffers are full. Puts of new keys, 32
			// at a time, until the peer is dropped, then more.
			Duration putTimeout = Duration.ofSeconds(5);
			int puts = 0;
			int limit = 4000;
			while (this.watchers.count() > before && puts < limit) {
				putBatch(writer, "flood-" + puts + "-", value, putTimeout);
				puts += 32;
			}
			assertThat(this.watchers.count()).as("the stalled watcher is dropped").isEqualTo(before);
			assertThat(puts).as("puts it took").isLessThan(limit);
			putBatch(writer, "after-", value, putTimeout);
		}
		finally {
			stalled.abort();
		}
	}

	/**
	 * 16 writers race on one key, each retrying with the version a conflict reports:
	 * every version from 1 to the last has exactly one winner, and a watcher sees them
	 * all, in order, with the winners' values.
	 */
	@Test
	void racingWritersGetExactlyOneWinnerPerVersion() throws Exception {
		int writers = 16;
		int attempts = 50;
		List<JsonNode> watched = new CopyOnWriteArrayList<>();
		connect(null).method("kv.watch").args((KiteCallback) (arguments) -> watched.add(arguments[0])).await();
		List<KiteConnection> connections = new ArrayList<>();
		for (int i = 0; i < writers; i++) {
			connections.add(connect("writer" + i));
		}
		Map<Long, List<String>> winners = new ConcurrentHashMap<>();
		AtomicInteger conflicts = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(writers);
		try {
			List<CompletableFuture<Void>> done = new ArrayList<>();
			for (int i = 0; i < writers; i++) {
				KiteConnection connection = connections.get(i);
				String writer = "writer" + i;
				done.add(CompletableFuture.runAsync(() -> {
					awaitQuietly(start);
					long version = 0;
					for (int attempt = 0; attempt < attempts; attempt++) {
						String value = writer + "/" + attempt;
						try {
							version = connection.method("kv.put").args("race", value, version).await(Long.class);
							winners.computeIfAbsent(version, (v) -> new CopyOnWriteArrayList<>()).add(value);
						}
						catch (KiteException ex) {
							assertThat(ex.type()).isEqualTo(KvKite.VERSION_CONFLICT);
							conflicts.incrementAndGet();
							version = Long.parseLong(ex.error().code());
						}
					}
				}, threads));
			}
			start.countDown();
			CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
		}
		finally {
			threads.shutdownNow();
		}
		winners.forEach((version, values) -> assertThat(values).as("winners of version %d", version).hasSize(1));
		int versions = winners.size();
		assertThat(versions).as("some writer won").isPositive();
		assertThat(winners.keySet()).as("versions 1..%d, none skipped", versions)
			.containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, versions).boxed().toList());
		assertThat(versions + conflicts.get()).as("every attempt won or conflicted").isEqualTo(writers * attempts);
		KvValue last = connect(null).method("kv.get").args("race").await(KvValue.class);
		assertThat(last).isEqualTo(new KvValue(winners.get((long) versions).get(0), versions));

		await("the watcher saw every version").atMost(WAIT).until(() -> watched.size() == versions);
		for (int i = 0; i < versions; i++) {
			JsonNode entry = watched.get(i);
			long version = i + 1;
			assertThat(entry.get("version").asLong()).isEqualTo(version);
			assertThat(entry.get("value").asString()).isEqualTo(winners.get(version).get(0));
		}
	}

	private static void putBatch(KiteConnection writer, String keyPrefix, String value, Duration timeout) {
		List<CompletableFuture<@Nullable Long>> puts = new ArrayList<>();
		for (int i = 0; i < 32; i++) {
			puts.add(writer.method("kv.put").args(keyPrefix + i, value, 0).timeout(timeout).retrieve(Long.class));
		}
		puts.forEach((put) -> assertThat(put.join()).isEqualTo(1));
	}

	private KiteConnection connect(@Nullable String username) {
		Auth auth = (username != null) ? new Auth(Auth.KITE_KEY, this.keys.kiteKey(username)) : null;
		KiteConnection connection = this.clients
			.create(KiteClientOptions.builder("http://127.0.0.1:" + this.port + "/kite")
				.auth(auth)
				.reconnect(false)
				.timeout(WAIT)
				.connectTimeout(WAIT)
				.build());
		this.connections.add(connection);
		connection.connect().join();
		return connection;
	}

	private static KiteException kiteError(Runnable call) {
		return assertThatExceptionOfType(KiteException.class).isThrownBy(call::run).actual();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
