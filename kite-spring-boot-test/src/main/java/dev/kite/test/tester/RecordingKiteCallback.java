package dev.kite.test.tester;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.kite.dnode.KiteCallback;
import org.assertj.core.api.ObjectAssert;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A {@link KiteCallback} that records every invocation, to pass as a call argument and
 * assert on afterwards (see {@link KiteTester#callback()}):
 *
 * <pre class="code">
 * RecordingKiteCallback callback = KiteTester.callback();
 * tester.call("callback", 3, callback).result().isNotNull();
 * callback.awaitCalls(1).argument(0, 0, Double.class).isEqualTo(6.0);
 * </pre>
 *
 * <p>
 * Thread safety: the connection's executor records invocations while the test thread
 * reads them; both go through this object's monitor, and {@link #awaitCalls(int)} waits
 * on it for at most its timeout.
 */
public final class RecordingKiteCallback implements KiteCallback {

	/** How long {@link #awaitCalls(int)} waits at most. */
	public static final Duration DEFAULT_TIMEOUT = KiteTester.DEFAULT_TIMEOUT;

	private final ObjectMapper mapper;

	private final List<List<JsonNode>> invocations = new ArrayList<>();

	RecordingKiteCallback(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public void call(JsonNode... arguments) {
		List<JsonNode> copy = List.of(arguments.clone());
		synchronized (this) {
			this.invocations.add(copy);
			notifyAll();
		}
	}

	/**
	 * Waits until the kite has called this callback at least {@code count} times, at most
	 * {@link #DEFAULT_TIMEOUT}.
	 * @param count the number of invocations
	 * @return this callback
	 * @throws AssertionError when fewer invocations arrived in time
	 */
	public RecordingKiteCallback awaitCalls(int count) {
		return awaitCalls(count, DEFAULT_TIMEOUT);
	}

	/**
	 * Waits until the kite has called this callback at least {@code count} times, at most
	 * {@code timeout}; {@link Duration#ZERO} checks without waiting.
	 * @param count the number of invocations
	 * @param timeout the longest wait
	 * @return this callback
	 * @throws AssertionError when fewer invocations arrived in time
	 */
	public RecordingKiteCallback awaitCalls(int count, Duration timeout) {
		Objects.requireNonNull(timeout, "timeout");
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this) {
			while (this.invocations.size() < count) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					throw new AssertionError("Expected at least " + count + " invocation(s) of the callback within "
							+ timeout + " but got " + this.invocations.size() + ": " + this.invocations);
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new AssertionError("Interrupted while waiting for the callback", ex);
				}
			}
		}
		return this;
	}

	/** How many times the kite has called this callback so far. */
	public synchronized int callCount() {
		return this.invocations.size();
	}

	/**
	 * The invocations so far, each the list of its arguments.
	 * @return a copy
	 */
	public synchronized List<List<JsonNode>> invocations() {
		return List.copyOf(this.invocations);
	}

	/**
	 * The arguments of one invocation.
	 * @param invocation the invocation's index, from 0
	 * @return its arguments
	 * @throws AssertionError when there was no such invocation
	 */
	public synchronized List<JsonNode> arguments(int invocation) {
		if (invocation < 0 || invocation >= this.invocations.size()) {
			throw new AssertionError("Expected an invocation #" + invocation + " of the callback but it was called "
					+ this.invocations.size() + " time(s)");
		}
		return this.invocations.get(invocation);
	}

	/**
	 * Assertions on one argument of one invocation, read as a type.
	 * @param <T> the argument type
	 * @param invocation the invocation's index, from 0
	 * @param index the argument's index, from 0
	 * @param type the argument type
	 * @return assertions on the argument
	 * @throws AssertionError when there was no such invocation or argument, or it does
	 * not read as the type
	 */
	public <T> ObjectAssert<@Nullable T> argument(int invocation, int index, Class<T> type) {
		List<JsonNode> arguments = arguments(invocation);
		if (index < 0 || index >= arguments.size()) {
			throw new AssertionError("Expected an argument #" + index + " in invocation #" + invocation
					+ " of the callback but it has " + arguments);
		}
		JsonNode node = arguments.get(index);
		try {
			T value = this.mapper.treeToValue(node, type);
			return new ObjectAssert<@Nullable T>(value).as("argument #%d of callback invocation #%d", index,
					invocation);
		}
		catch (JacksonException ex) {
			throw new AssertionError("Argument #" + index + " of callback invocation #" + invocation
					+ " does not read as " + type.getName() + ": " + node, ex);
		}
	}

	@Override
	public synchronized String toString() {
		return "RecordingKiteCallback" + this.invocations;
	}

}
