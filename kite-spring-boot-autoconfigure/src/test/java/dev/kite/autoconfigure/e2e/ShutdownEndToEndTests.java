package dev.kite.autoconfigure.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping a kite application closes its kite sessions with 1001 (going away) right away, also
 * ending held XHR polls, so the graceful web server shutdown does not wait for them.
 */
class ShutdownEndToEndTests {

	@Test
	void stoppingClosesSessionsPromptly() throws Exception {
		ConfigurableApplicationContext app = new SpringApplicationBuilder(TestKiteApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.run();
		String port = app.getEnvironment().getProperty("local.server.port");
		WireClient socket = WireClient.connect("ws://127.0.0.1:" + port + "/kite/websocket");
		HttpClient http = HttpClient.newHttpClient();
		String session = "http://127.0.0.1:" + port + "/kite/000/shutdown1";
		assertThat(http.send(post(session + "/xhr"), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("o\n");
		CompletableFuture<HttpResponse<String>> heldPoll = http.sendAsync(post(session + "/xhr"),
				HttpResponse.BodyHandlers.ofString());
		Thread.sleep(200); // let the poll reach the server and be held
		long started = System.nanoTime();
		app.close();
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(socket.awaitClose()).isEqualTo(1001);
		assertThat(heldPoll.get(5, TimeUnit.SECONDS).body()).startsWith("c[");
		assertThat(took).isLessThan(Duration.ofSeconds(10));
		socket.close();
	}

	private static HttpRequest post(String uri) {
		return HttpRequest.newBuilder(URI.create(uri)).POST(HttpRequest.BodyPublishers.noBody()).build();
	}

}
