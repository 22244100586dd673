package dev.kite.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.kite.observation.DefaultKiteClientObservationConvention;
import dev.kite.observation.KiteClientRequestObservationContext;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.rpc.Failures;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One call of a kite method, in the style of Spring's {@code RestClient}:
 *
 * <pre class="code">
 * CompletableFuture&lt;Double&gt; square = connection.method("square").args(4).retrieve(Double.class);
 * Double now = connection.method("square").args(4).timeout(Duration.ofSeconds(2)).await(Double.class);
 * </pre>
 *
 * Every {@code retrieve} or {@code await} sends one envelope (PROTOCOL §3.1) with the
 * arguments as {@code withArgs}; arguments may contain
 * {@link dev.kite.dnode.KiteCallback}s. The result is read with the connection's mapper;
 * a result that does not fit the type fails with {@code invalidResponse}. Without
 * {@link #timeout(Duration)}, the connection's {@link KiteClientOptions#timeout() default
 * timeout} applies; it bounds the whole call, including the wait for a dial in progress
 * (see {@link KiteConnection}).
 *
 * <p>
 * Thread safety: a {@code KiteCall} is a small builder for one thread; build it, send it,
 * drop it. The futures it returns are completed on the connection's executor.
 */
public final class KiteCall {

	private static final @Nullable Object[] NO_ARGUMENTS = new Object[0];

	private final KiteConnection connection;

	private final String method;

	private @Nullable Object[] arguments = NO_ARGUMENTS;

	private @Nullable Duration timeout;

	KiteCall(KiteConnection connection, String method) {
		this.connection = connection;
		this.method = Objects.requireNonNull(method, "method");
	}

	/**
	 * The arguments ({@code withArgs}); {@code null} means none.
	 * @param arguments the arguments, possibly with {@link dev.kite.dnode.KiteCallback}s
	 * @return this call
	 */
	public KiteCall args(@Nullable Object @Nullable ... arguments) {
		this.arguments = (arguments != null) ? arguments : NO_ARGUMENTS;
		return this;
	}

	/**
	 * How long to wait for the response (Go's {@code TellWithTimeout}).
	 * @param timeout a positive duration
	 * @return this call
	 */
	public KiteCall timeout(Duration timeout) {
		this.timeout = KiteClientOptions.requirePositive(timeout, "timeout");
		return this;
	}

	/**
	 * Sends the call.
	 * @return the result as JSON ({@link tools.jackson.databind.node.NullNode} for
	 * {@code null}); fails with a {@link KiteException}
	 */
	public CompletableFuture<JsonNode> retrieve() {
		ObservationRegistry registry = this.connection.observationRegistry();
		if (registry.isNoop()) {
			return this.connection.send(this.method, effectiveTimeout(), this.arguments);
		}
		return observed(registry);
	}

	/**
	 * Sends the call inside a {@code kite.client.requests} observation that stops when
	 * the future completes, with the kite error type of a failure.
	 */
	private CompletableFuture<JsonNode> observed(ObservationRegistry registry) {
		String url = this.connection.currentUrl().toString();
		Observation observation = Observation
			.createNotStarted(this.connection.observationConvention(), DefaultKiteClientObservationConvention.INSTANCE,
					() -> new KiteClientRequestObservationContext(this.method, url), registry)
			.start();
		CompletableFuture<JsonNode> future;
		try (Observation.Scope scope = observation.openScope()) {
			future = this.connection.send(this.method, effectiveTimeout(), this.arguments);
		}
		future.whenComplete((value, failure) -> {
			if (failure != null) {
				Throwable cause = Failures.unwrap(failure);
				if (observation.getContext() instanceof KiteClientRequestObservationContext context) {
					context
						.setErrorType((cause instanceof KiteException kite) ? kite.type() : KiteErrorTypes.SEND_ERROR);
				}
				observation.error(cause);
			}
			observation.stop();
		});
		return future;
	}

	/**
	 * Sends the call and reads the result as a type.
	 * @param <T> the result type
	 * @param resultType the result type
	 * @return the result; fails with a {@link KiteException}
	 */
	public <T> CompletableFuture<@Nullable T> retrieve(Class<T> resultType) {
		return retrieve(mapper().constructType(resultType));
	}

	/**
	 * Sends the call and reads the result as a generic type, e.g. {@code new
	 * ParameterizedTypeReference<List<Kite>>() {}}.
	 * @param <T> the result type
	 * @param resultType the result type
	 * @return the result; fails with a {@link KiteException}
	 */
	public <T> CompletableFuture<@Nullable T> retrieve(ParameterizedTypeReference<T> resultType) {
		return retrieve(mapper().getTypeFactory().constructType(resultType.getType()));
	}

	/**
	 * Sends the call and reads the result as a generic type given as a Jackson
	 * {@link TypeReference}.
	 * @param <T> the result type
	 * @param resultType the result type
	 * @return the result; fails with a {@link KiteException}
	 */
	public <T> CompletableFuture<@Nullable T> retrieve(TypeReference<T> resultType) {
		return retrieve(mapper().getTypeFactory().constructType(resultType));
	}

	/**
	 * Sends the call and waits for the result, at most the call's timeout.
	 * @return the result ({@link tools.jackson.databind.node.NullNode} for {@code null})
	 * @throws KiteException the remote error, or a local one ({@code timeout},
	 * {@code disconnect}, {@code sendError}, {@code invalidResponse})
	 */
	public JsonNode await() {
		return await(retrieve());
	}

	/**
	 * Sends the call, waits for the result at most the call's timeout, and reads it as a
	 * type.
	 * @param <T> the result type
	 * @param resultType the result type
	 * @return the result
	 * @throws KiteException the remote or local error
	 */
	public <T> @Nullable T await(Class<T> resultType) {
		return await(retrieve(resultType));
	}

	/**
	 * Sends the call, waits for the result at most the call's timeout, and reads it as a
	 * generic type.
	 * @param <T> the result type
	 * @param resultType the result type
	 * @return the result
	 * @throws KiteException the remote or local error
	 */
	public <T> @Nullable T await(ParameterizedTypeReference<T> resultType) {
		return await(retrieve(resultType));
	}

	private <T> CompletableFuture<@Nullable T> retrieve(JavaType type) {
		String name = this.method;
		ObjectMapper mapper = mapper();
		return retrieve().<@Nullable T>thenApply((node) -> convert(mapper, name, node, type));
	}

	private <T extends @Nullable Object> T await(CompletableFuture<T> future) {
		Duration timeout = effectiveTimeout();
		try {
			// The call's own timer completes the future; the margin only guards against a
			// stopped scheduler.
			return future.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = Failures.unwrap(ex);
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new CompletionException(cause);
		}
		catch (TimeoutException ex) {
			future.cancel(false);
			throw KiteResponses.timeout(this.method, timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			future.cancel(false);
			throw new KiteException(KiteErrorTypes.SEND_ERROR, "Interrupted while waiting for \"" + this.method + "\"");
		}
	}

	private Duration effectiveTimeout() {
		return (this.timeout != null) ? this.timeout : this.connection.options().timeout();
	}

	private ObjectMapper mapper() {
		return this.connection.objectMapper();
	}

	private static <T> @Nullable T convert(ObjectMapper mapper, String method, JsonNode node, JavaType type) {
		if (type.getRawClass() == JsonNode.class) {
			@SuppressWarnings("unchecked")
			T same = (T) node;
			return same;
		}
		try {
			return mapper.treeToValue(node, type);
		}
		catch (JacksonException ex) {
			throw KiteResponses.invalidResponse("Cannot read the result of \"" + method + "\" as " + type.toCanonical()
					+ ": " + ex.getOriginalMessage());
		}
	}

}
