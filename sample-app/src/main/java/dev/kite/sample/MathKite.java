package dev.kite.sample;

import dev.kite.annotation.KiteMethod;
import dev.kite.dnode.RemoteCallback;
import org.springframework.stereotype.Component;

/**
 * The Go kite's reference {@code math} example, method for method.
 */
@Component
public class MathKite {

	/**
	 * {@code square(n)}: anyone may call it.
	 * @param number the number
	 * @return its square
	 */
	@KiteMethod(value = "square", authenticated = false)
	public double square(double number) {
		return number * number;
	}

	/**
	 * {@code squareAuth(n)}: the same, for authenticated callers only.
	 * @param number the number
	 * @return its square
	 */
	@KiteMethod("squareAuth")
	public double squareAuth(double number) {
		return number * number;
	}

	/**
	 * {@code callback(n, fn)}: calls the caller's function with {@code n * 2}, then
	 * answers null.
	 * @param number the number
	 * @param callback the caller's function
	 */
	@KiteMethod(value = "callback", authenticated = false)
	public void callback(double number, RemoteCallback callback) {
		callback.call(number * 2);
	}

}
