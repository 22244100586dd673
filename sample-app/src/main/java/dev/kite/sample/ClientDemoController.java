package dev.kite.sample;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The client demo: {@code GET /demo/square?n=4} asks the {@code math} kite (over a kite
 * connection, not a method call) and answers {@code {"n":4,"square":16}}.
 */
@RestController
class ClientDemoController {

	private final MathKiteClient math;

	ClientDemoController(MathKiteClient math) {
		this.math = math;
	}

	@GetMapping("/demo/square")
	CompletableFuture<Map<String, Double>> square(@RequestParam("n") double n) {
		return this.math.square(n).thenApply((square) -> Map.of("n", n, "square", square));
	}

}
