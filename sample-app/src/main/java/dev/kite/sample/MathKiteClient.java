package dev.kite.sample;

import java.util.concurrent.CompletableFuture;

import dev.kite.client.declarative.KiteClient;
import dev.kite.annotation.KiteMethod;

/**
 * A declarative client of a Go-compatible {@code math} kite, reached at
 * {@code kite.clients.math.url} (this app itself by default; point it at a Go kite to
 * call that instead).
 */
@KiteClient("math")
public interface MathKiteClient {

	/**
	 * Calls {@code square}.
	 * @param number the number
	 * @return its square, when the kite answers
	 */
	CompletableFuture<Double> square(double number);

	/**
	 * Calls {@code square} and waits for the answer.
	 * @param number the number
	 * @return its square
	 */
	@KiteMethod("square")
	double squareNow(double number);

}
