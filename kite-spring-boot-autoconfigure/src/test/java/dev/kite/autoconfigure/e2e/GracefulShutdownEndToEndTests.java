package dev.kite.autoconfigure.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;

import dev.kite.annotation.KiteMethod;
import dev.kite.client.KiteConnection;
import dev.kite.rpc.KiteDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping a kite application (what SIGTERM does: {@code context.close()}) leaves no call
 * without a reply: calls in flight finish, later ones are refused with
 * {@code genericError} "server is shutting down", sessions then close with 1001; a
 * handler that never returns is cut off at the phase timeout. HTTP requests in flight
 * that wait for one of the application's own kite clients still get their answer: the
 * clients, and the executor they complete on, outlive the web server.
 */
@ExtendWith(OutputCaptureExtension.class)
class GracefulShutdownEndToEndTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

	private final List<WireClient> sockets = new ArrayList<>();

	@AfterEach
	void closeAll() {
		this.sockets.forEach(WireClient::close);
		this.apps.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void callsInFlightAreAnsweredLateCallsRefusedThenSessionsClosed() throws Exception {
		ConfigurableApplicationContext app = start();
		Gate gate = app.getBean(Gate.class);
		WireClient inFlight = connect(app);
		WireClient late = connect(app);
		inFlight.send(call("slow", "[\"a\"]"));
		assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();

		CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);
		await().atMost(Duration.ofSeconds(10)).until(() -> app.getBean(KiteDispatcher.class).drain().isDraining());
		late.send(call("square", "[3]"));
		JsonNode refused = reply(late.next());
		assertThat(refused.get("error").get("type").stringValue()).isEqualTo("genericError");
		assertThat(refused.get("error").get("message").stringValue()).isEqualTo("server is shutting down");
		assertThat(closing).isNotDone();

		gate.release.countDown();
		JsonNode answered = reply(inFlight.next());
		assertThat(answered.get("error").isNull()).isTrue();
		assertThat(answered.get("result").stringValue()).isEqualTo("slow a");
		assertThat(inFlight.awaitClose()).isEqualTo(1001);
		assertThat(late.awaitClose()).isEqualTo(1001);
		closing.get(20, TimeUnit.SECONDS);
	}

	@Test
	void aHandlerThatNeverReturnsIsCutOffAtThePhaseTimeout() throws Exception {
		ConfigurableApplicationContext app = start("spring.lifecycle.timeout-per-shutdown-phase=1s");
		Gate gate = app.getBean(Gate.class);
		WireClient stuck = connect(app);
		stuck.send(call("slow", "[\"never\"]"));
		assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);
		// The session closes at the drain timeout (0.9 s), without a reply: the caller
		// learns of it by the disconnect.
		assertThat(stuck.awaitClose()).isEqualTo(1001);
		assertThat(stuck.poll(Duration.ZERO)).isNull();
		closing.get(20, TimeUnit.SECONDS);
	}

	@Test
	void anHttpRequestInFlightStillUsesTheApplicationsKiteClient(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext other = start();
		ConfigurableApplicationContext app = start("kite.clients.other.url=http://127.0.0.1:" + port(other) + "/kite",
				"spring.lifecycle.timeout-per-shutdown-phase=20s");
		Gate gate = app.getBean(Gate.class);
		CompletableFuture<HttpResponse<String>> relayed = HttpClient.newHttpClient()
			.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(app) + "/relay")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();

		CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);
		// The kite server has drained and the web server's graceful shutdown is next:
		// the request calls the other kite only now, as a request that was slow before
		// its kite call would after SIGTERM.
		assertThat(app.getBean(WebShutdownProbe.class).reached.await(10, TimeUnit.SECONDS)).isTrue();
		gate.release.countDown();

		HttpResponse<String> response = relayed.get(20, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("relayed");
		closing.get(30, TimeUnit.SECONDS);
		assertThat(output.getAll()).doesNotContain("ERROR");
	}

	private ConfigurableApplicationContext start(String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"spring.main.banner-mode=off", "kite.server.executor.virtual-threads=false"));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext app = new SpringApplicationBuilder(TestKiteApplication.class, SlowKite.class)
			.properties(all.toArray(String[]::new))
			.run();
		this.apps.add(app);
		return app;
	}

	private WireClient connect(ConfigurableApplicationContext app) throws Exception {
		WireClient socket = WireClient.connect("ws://127.0.0.1:" + port(app) + "/kite/websocket");
		this.sockets.add(socket);
		return socket;
	}

	private static String port(ConfigurableApplicationContext app) {
		return app.getEnvironment().getProperty("local.server.port");
	}

	private static String call(String method, String withArgs) {
		return "{\"method\":\"" + method + "\",\"arguments\":[{\"kite\":{\"name\":\"tester\",\"username\":\"u\","
				+ "\"id\":\"t\",\"environment\":\"e\",\"region\":\"r\",\"version\":\"1.0.0\",\"hostname\":\"h\"},"
				+ "\"authentication\":null,\"withArgs\":" + withArgs
				+ ",\"responseCallback\":\"[Function]\"}],\"callbacks\":{\"0\":[0,\"responseCallback\"]}}";
	}

	private static JsonNode reply(String frame) {
		JsonNode message = json.readTree(frame);
		assertThat(message.get("method").intValue()).isZero();
		return message.get("arguments").get(0);
	}

	/** Holds the slow method until the test releases it. */
	static final class Gate {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

	}

	/**
	 * A slow kite method, an HTTP endpoint that relays to the kite named {@code other},
	 * and a probe stopped right before the web server's graceful shutdown.
	 */
	@Configuration(proxyBeanMethods = false)
	static class SlowKite {

		@Bean
		Gate gate() {
			return new Gate();
		}

		@Bean
		SlowMethod slowMethod(Gate gate) {
			return new SlowMethod(gate);
		}

		@Bean
		WebShutdownProbe webShutdownProbe() {
			return new WebShutdownProbe();
		}

		/**
		 * {@code GET /relay} waits at the gate, then calls {@code echo("relayed")} on the
		 * kite named {@code other}; served ahead of Spring Security, like any servlet
		 * endpoint of the application.
		 */
		@Bean
		FilterRegistrationBean<Filter> relay(Gate gate, @Qualifier("other") ObjectProvider<KiteConnection> other) {
			Filter filter = (request, response, chain) -> {
				if (!((HttpServletRequest) request).getRequestURI().equals("/relay")) {
					chain.doFilter(request, response);
					return;
				}
				holdUntilReleased(gate);
				String result = other.getObject().method("echo").args("relayed").await(String.class);
				response.setContentType("text/plain");
				response.getOutputStream().write(String.valueOf(result).getBytes(StandardCharsets.UTF_8));
			};
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

	}

	static final class SlowMethod {

		private final Gate gate;

		SlowMethod(Gate gate) {
			this.gate = gate;
		}

		@KiteMethod(value = "slow", authenticated = false)
		public String slow(String text) {
			holdUntilReleased(this.gate);
			return "slow " + text;
		}

	}

	/** Bounded: a test that never releases the gate ends when the context closes. */
	static void holdUntilReleased(Gate gate) {
		gate.entered.countDown();
		try {
			if (!gate.release.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("not released");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/**
	 * Stopped after the kite server, right before Boot's graceful web server shutdown.
	 */
	static final class WebShutdownProbe implements SmartLifecycle {

		final CountDownLatch reached = new CountDownLatch(1);

		private volatile boolean running;

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
			this.reached.countDown();
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return SmartLifecycle.DEFAULT_PHASE - 1023;
		}

	}

}
