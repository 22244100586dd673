package dev.kite.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Serves a public bean method as a kite method.
 *
 * <pre class="code">
 * &#64;Component
 * class MathKite {
 *     &#64;KiteMethod(value = "square", authenticated = false)
 *     double square(double n) { return n * n; }
 * }
 * </pre>
 *
 * <p>
 * Parameters bind positionally from the caller's {@code withArgs} array, converted by
 * Jackson to the declared (generic) type. Parameters of type
 * {@link dev.kite.rpc.KiteRequest}, {@code Authentication}, {@code Principal} (or
 * annotated {@code @AuthenticationPrincipal}) are injected and take no position. A
 * {@link dev.kite.dnode.RemoteCallback} parameter receives the function the caller passed
 * at its position; a {@code JsonNode} parameter receives the raw argument. The method may
 * return a value, {@code void}, or a {@link java.util.concurrent.CompletionStage}.
 *
 * <p>
 * Two methods with one kite name fail the startup, naming both.
 *
 * <pre class="code">
 * &#64;KiteMethod(value = "search", throttleFillInterval = "100ms", throttleCapacity = 20)
 * </pre>
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface KiteMethod {

	/** The wire name; defaults to the Java method's name. */
	@AliasFor("name")
	String value() default "";

	/** Alias for {@link #value()}. */
	@AliasFor("value")
	String name() default "";

	/**
	 * Whether callers must send verified authentication (a kite key or a token).
	 * {@code false} is Go's {@code DisableAuthentication}: anyone who can connect may
	 * call.
	 */
	boolean authenticated() default true;

	/**
	 * Throttles the method (Go's {@code Throttle(fillInterval, capacity)}): a token
	 * bucket of {@link #throttleCapacity()} tokens that gains one token every this long,
	 * shared by all callers; a call finding it empty is answered with
	 * {@code requestLimitError}. A duration such as {@code "100ms"}, {@code "1s"} or
	 * {@code "PT0.5S"}; empty (the default) for no throttle. Configuration
	 * ({@code kite.server.throttle.<method>.*}) overrides it.
	 */
	String throttleFillInterval() default "";

	/**
	 * How many tokens the {@link #throttleFillInterval() throttle}'s bucket holds: the
	 * burst of calls allowed at once. Used only with a fill interval.
	 */
	int throttleCapacity() default 1;

}
