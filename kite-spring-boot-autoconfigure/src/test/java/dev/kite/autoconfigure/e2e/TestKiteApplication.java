package dev.kite.autoconfigure.e2e;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.kite.annotation.KiteAdvice;
import dev.kite.annotation.KiteExceptionHandler;
import dev.kite.annotation.KiteMethod;
import dev.kite.dnode.RemoteCallback;
import dev.kite.protocol.KiteError;
import dev.kite.rpc.KiteRequest;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** A kite application used by the end-to-end tests. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ TestKiteApplication.Methods.class, TestKiteApplication.Errors.class })
public class TestKiteApplication {

	record Point(int x, int y) {
	}

	@Component
	static class Methods {

		@KiteMethod(value = "square", authenticated = false)
		public double square(double n) {
			return n * n;
		}

		@KiteMethod(value = "sum", authenticated = false)
		public int sum(List<Integer> numbers) {
			return numbers.stream().mapToInt(Integer::intValue).sum();
		}

		@KiteMethod(value = "move", authenticated = false)
		public Point move(Point point, int dx) {
			return new Point(point.x() + dx, point.y());
		}

		@KiteMethod(value = "whoCalls", authenticated = false)
		public String whoCalls(KiteRequest request, JsonNode raw) {
			return request.caller().name() + ":" + request.method() + ":" + raw + ":" + request.requestId().length();
		}

		@KiteMethod(value = "later", authenticated = false)
		public CompletionStage<String> later(String text) {
			return CompletableFuture.supplyAsync(() -> text.toUpperCase());
		}

		@KiteMethod(value = "countdown", authenticated = false)
		public void countdown(int from, RemoteCallback tick) {
			for (int i = from; i > 0; i--) {
				tick.call(i);
			}
		}

		@KiteMethod(value = "lookup", authenticated = false)
		public String lookup(String key) {
			throw new NoSuchElementException("no row for " + key + " in table secrets");
		}

		@KiteMethod(value = "crash", authenticated = false)
		public String crash() {
			throw new IllegalStateException("connection string jdbc:postgresql://10.0.0.1/prod");
		}

		@KiteMethod("secret")
		public String secret() {
			return "classified";
		}

		@KiteMethod(value = "echo", authenticated = false)
		public String echo(String text) {
			return text;
		}

		@KiteMethod(value = "echoSize", authenticated = false)
		public int echoSize(String text) {
			return text.length();
		}

	}

	@KiteAdvice
	static class Errors {

		@KiteExceptionHandler
		KiteError notFound(NoSuchElementException ex, KiteRequest request) {
			return new KiteError("notFound", "No such entry", "404", "");
		}

	}

}
