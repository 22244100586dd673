package dev.kite.autoconfigure.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * An application whose named client points at a kite that is down, or that accepts and
 * never answers: it starts, its calls fail within their timeout, it logs one line per
 * failed dial, and it stops promptly. The bounds below only stop a regression from
 * hanging the build; nothing waits for them to pass.
 */
@ExtendWith(OutputCaptureExtension.class)
class KiteClientOfAKiteThatIsDownTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	private static ConfigurableApplicationContext clientApp(String... properties) {
		return new SpringApplicationBuilder(KiteClientEndToEndTests.ClientApplication.class,
				KiteClientEndToEndTests.Caller.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "kite.name=caller")
			.properties(properties)
			.run();
	}

	/** A port nothing listens on (free a moment ago). */
	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	@Test
	void startsAndCallsFailWithinTheirTimeout() throws Exception {
		String url = "kite.clients.math.url=http://127.0.0.1:" + closedPort() + "/kite";
		try (ConfigurableApplicationContext app = assertTimeoutPreemptively(BOUND,
				() -> clientApp(url, "kite.clients.math.timeout=1s"))) {
			assertThat(app.getBean(KiteClientEndToEndTests.Caller.class).math.isConnected()).isFalse();
			MathClient math = app.getBean(MathClient.class);

			CompletableFuture<Double> square = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> math.square(4));

			await().atMost(BOUND).until(square::isDone);
			assertThatThrownBy(() -> square.get(0, TimeUnit.SECONDS)).cause()
				.isInstanceOfSatisfying(KiteException.class,
						(ex) -> assertThat(ex.type()).isIn(KiteErrorTypes.TIMEOUT, KiteErrorTypes.DISCONNECT));
			assertThatExceptionOfType(KiteException.class)
				.isThrownBy(() -> assertTimeoutPreemptively(BOUND, () -> math.squareNow(2)))
				.satisfies((ex) -> assertThat(ex.type()).isIn(KiteErrorTypes.TIMEOUT, KiteErrorTypes.DISCONNECT));
		}
	}

	@Test
	void stopsPromptlyWhileADialHangs() throws Exception {
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
				try {
					return silent.accept(); // and never answer
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			ConfigurableApplicationContext app = assertTimeoutPreemptively(BOUND,
					() -> clientApp("kite.clients.math.url=http://127.0.0.1:" + silent.getLocalPort() + "/kite",
							"kite.client.connect-timeout=10m", "kite.clients.math.timeout=10m"));
			CompletableFuture<Double> square = assertTimeoutPreemptively(Duration.ofSeconds(5),
					() -> app.getBean(MathClient.class).square(4));
			await().atMost(BOUND).until(accepted::isDone); // the dial is under way, and
															// hangs
			assertThat(square).isNotDone();

			assertTimeoutPreemptively(BOUND, app::close);

			await().atMost(BOUND).until(square::isDone);
			assertThat(square).isCompletedExceptionally();
			accepted.join().close();
		}
	}

	@Test
	void eachFailedDialLogsOneWarnLine(CapturedOutput output) throws Exception {
		String url = "http://127.0.0.1:" + closedPort() + "/kite";
		try (ConfigurableApplicationContext app = assertTimeoutPreemptively(BOUND,
				() -> clientApp("kite.clients.math.url=" + url))) {
			assertTimeoutPreemptively(Duration.ofSeconds(5), () -> app.getBean(MathClient.class).square(4));
			await().atMost(BOUND).until(() -> dialLines(output, url).size() >= 2);
		}
		List<String> lines = dialLines(output, url);
		assertThat(lines).allSatisfy((line) -> assertThat(line).contains("WARN").contains("next attempt in"));
		assertThat(output.getAll()).doesNotContain("ERROR").doesNotContain("\tat ");
	}

	private static List<String> dialLines(CapturedOutput output, String url) {
		return output.getAll().lines().filter((line) -> line.contains("Dialing kite " + url + " failed")).toList();
	}

}
