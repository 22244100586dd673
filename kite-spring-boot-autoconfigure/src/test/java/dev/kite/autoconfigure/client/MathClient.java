package dev.kite.autoconfigure.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.kite.client.declarative.KiteClient;
import dev.kite.annotation.KiteMethod;
import dev.kite.dnode.KiteCallback;

/**
 * A declarative client of the test kite, used the way an application would declare one.
 */
@KiteClient("math")
public interface MathClient {

	CompletableFuture<Double> square(double n);

	@KiteMethod("square")
	double squareNow(double n);

	@KiteMethod("sum")
	int total(List<Integer> numbers);

	void countdown(int from, KiteCallback tick);

	String lookup(String key);

	default double fourth(double n) {
		return squareNow(squareNow(n));
	}

}
