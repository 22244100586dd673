package dev.kite.benchmarks.jmh;

import dev.kite.annotation.KiteMethod;
import dev.kite.dnode.RemoteCallback;

/**
 * The methods the benchmarks call, found by the production detector as an application's
 * would be: Go's {@code square} example, once authenticated, once open, and once
 * answering through a callback argument as well.
 */
public class SquareService {

	/**
	 * The square of a number, for an authenticated caller.
	 * @param number the number
	 * @return its square
	 */
	@KiteMethod("square")
	public double square(double number) {
		return number * number;
	}

	/**
	 * The square of a number, for anyone.
	 * @param number the number
	 * @return its square
	 */
	@KiteMethod(value = "squareOpen", authenticated = false)
	public double squareOpen(double number) {
		return number * number;
	}

	/**
	 * Sends the square to a function of the caller's, then answers {@code null}: two
	 * messages out, one function in.
	 * @param number the number
	 * @param callback the caller's function
	 */
	@KiteMethod(value = "squareCallback", authenticated = false)
	public void squareCallback(double number, RemoteCallback callback) {
		callback.call(number * number);
	}

}
