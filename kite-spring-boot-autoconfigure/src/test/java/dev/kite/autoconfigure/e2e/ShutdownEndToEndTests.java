package dev.kite.autoconfigure.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping a kite application closes its kite sessions with 1001 (going away) right away,
 * also ending held XHR polls, so the graceful web server shutdown does not wait for them.
 */
class ShutdownEndToEndTests {

	@Test
	void stoppingClosesSessionsPromptly() throws Exception {
		ConfigurableApplicationContext app = new SpringApplicationBuilder(TestKiteApplication.class,
				HeldPollProbe.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.run();
		String port = app.getEnvironment().getProperty("local.server.port");
		WireClient socket = WireClient.connect("ws://127.0.0.1:" + port + "/kite/websocket");
		HttpClient http = HttpClient.newHttpClient();
		String session = "http://127.0.0.1:" + port + "/kite/000/shutdown1";
		assertThat(http.send(post(session + "/xhr"), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("o\n");
		CompletableFuture<HttpResponse<String>> heldPoll = http.sendAsync(post(session + "/xhr"),
				HttpResponse.BodyHandlers.ofString());
		// The poll must be held by the server (its request gone async), not still on its
		// way, when we stop.
		HeldPollProbe probe = app.getBean(HeldPollProbe.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> probe.heldPolls.get() == 1);
		long started = System.nanoTime();
		app.close();
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(socket.awaitClose()).isEqualTo(1001);
		assertThat(heldPoll.get(5, TimeUnit.SECONDS).body()).startsWith("c[");
		assertThat(took).isLessThan(Duration.ofSeconds(10));
		socket.close();
	}

	/**
	 * Counts XHR polls the server holds open: the request went async and the servlet
	 * returned without writing anything.
	 */
	@Configuration(proxyBeanMethods = false)
	static class HeldPollProbe {

		final AtomicInteger heldPolls = new AtomicInteger();

		@Bean
		Filter heldPollCounter() {
			return (request, response, chain) -> {
				chain.doFilter(request, response);
				// The opening poll also goes async, but answers "o" at once: only an
				// uncommitted one is held.
				if (request.isAsyncStarted() && !response.isCommitted()
						&& ((HttpServletRequest) request).getRequestURI().endsWith("/xhr")) {
					this.heldPolls.incrementAndGet();
				}
			};
		}

	}

	private static HttpRequest post(String uri) {
		return HttpRequest.newBuilder(URI.create(uri)).POST(HttpRequest.BodyPublishers.noBody()).build();
	}

}
