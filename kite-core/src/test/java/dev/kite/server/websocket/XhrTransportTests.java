package dev.kite.server.websocket;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kite.rpc.KiteWebSocketLimits;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The XHR transport as Go's client uses it: heartbeats often enough for its 15 s re-poll,
 * a second poller answered 2010 at once (no thread held for the handover timeout), and a
 * malformed {@code xhr_send} answered without a stack trace in the log.
 */
class XhrTransportTests {

	@Test
	void heartbeatIsGosTenSecondsBelowItsFifteenSecondRepoll() {
		Duration heartbeat = KiteEndpointSettings.builder().build().heartbeatTime();
		assertThat(heartbeat).isEqualTo(Duration.ofSeconds(10)).isLessThan(Duration.ofSeconds(15));
	}

	/**
	 * Go's XHR client re-polls when 15 s pass without a byte; scaled down here (heartbeat
	 * 100 ms, client timeout 150 ms, disconnect delay 200 ms), a client idle for 20
	 * heartbeats keeps its session and is served afterwards (the disconnect delay, 1 s,
	 * only bounds the gap between two polls).
	 */
	@Test
	void anIdleGoStyleXhrClientKeepsItsSession() throws Exception {
		KiteEndpointSettings settings = KiteEndpointSettings.builder()
			.heartbeatTime(Duration.ofMillis(100))
			.disconnectDelay(Duration.ofSeconds(1))
			.build();
		try (TransportTestServer server = new TransportTestServer(KiteWebSocketLimits.defaults(), settings)) {
			assertThat(Xhr.poll(server.port, "goidle01").body()).isEqualTo("o\n");
			int heartbeats = 0;
			while (heartbeats < 20) {
				// Like sockjs-go: a poll that brings no byte within 150 ms is given up.
				String body = Xhr.pollAsync(server.port, "goidle01").get(150 * 10, TimeUnit.MILLISECONDS).body();
				assertThat(body).as("poll %d", heartbeats).isEqualTo("h\n");
				heartbeats++;
			}
			assertThat(server.handler.sessionCount()).isEqualTo(1);
			CompletableFuture<HttpResponse<String>> poll = Xhr.pollAsync(server.port, "goidle01");
			assertThat(
					Xhr.send(server.port, "goidle01", Xhr.frame(TransportTestServer.call("echo", "late"))).statusCode())
				.isEqualTo(204);
			String reply = poll.get(5, TimeUnit.SECONDS).body();
			for (int i = 0; i < 10 && reply.equals("h\n"); i++) {
				reply = Xhr.poll(server.port, "goidle01").body();
			}
			assertThat(reply).startsWith("a[").contains("late");
			assertThat(server.handler.sessionCount()).isEqualTo(1);
		}
	}

	@Test
	void aSecondPollerIsAnswered2010WithoutWaitingForTheHandoverTimeout() throws Exception {
		// A handover timeout far beyond the assertion's bound: waiting for it would fail.
		KiteEndpointSettings settings = KiteEndpointSettings.builder()
			.heartbeatTime(Duration.ofSeconds(30))
			.xhrHandoverTimeout(Duration.ofSeconds(20))
			.build();
		try (TransportTestServer server = new TransportTestServer(KiteWebSocketLimits.defaults(), settings)) {
			assertThat(Xhr.poll(server.port, "second01").body()).isEqualTo("o\n");
			CompletableFuture<HttpResponse<String>> first = Xhr.pollAsync(server.port, "second01");
			await().atMost(Duration.ofSeconds(5)).until(() -> {
				String body = Xhr.pollAsync(server.port, "second01").get(5, TimeUnit.SECONDS).body();
				return body.startsWith("c[2010");
			});
			assertThat(first).isNotDone();
		}
	}

	@Test
	void aMalformedXhrSendIsRefusedWithoutAStackTrace() throws Exception {
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		ListAppender<ILoggingEvent> events = new ListAppender<>();
		events.start();
		root.addAppender(events);
		try (TransportTestServer server = new TransportTestServer(KiteWebSocketLimits.defaults(),
				KiteEndpointSettings.builder().build())) {
			assertThat(Xhr.poll(server.port, "broken01").body()).isEqualTo("o\n");
			for (int i = 0; i < 3; i++) {
				HttpResponse<String> response = Xhr.send(server.port, "broken01", "[\"unterminated");
				assertThat(response.statusCode()).isEqualTo(500);
				assertThat(response.body()).isEqualTo("Broken JSON encoding.");
			}
			assertThat(Xhr.send(server.port, "broken01", "").body()).isEqualTo("Payload expected.");
			// The session still works.
			assertThat(
					Xhr.send(server.port, "broken01", Xhr.frame(TransportTestServer.call("echo", "ok"))).statusCode())
				.isEqualTo(204);
			assertThat(Xhr.poll(server.port, "broken01").body()).startsWith("a[").contains("ok");
		}
		finally {
			root.detachAppender(events);
		}
		assertThat(events.list).noneMatch((event) -> event.getThrowableProxy() != null);
		assertThat(events.list).anyMatch((event) -> event.getFormattedMessage().contains("not a SockJS frame"));
	}

}
