package dev.kite.client.declarative;

import dev.kite.annotation.KiteMethod;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an interface whose methods call a remote kite through the named client
 * ({@code kite.clients.<name>.*}). Each method calls the kite method named by its
 * {@link KiteMethod} annotation, or by the Java method's name.
 *
 * <pre class="code">
 * &#64;KiteClient("math")
 * interface MathKite {
 *     CompletableFuture&lt;Double&gt; square(double n);   // async
 *     &#64;KiteMethod("square") double squareNow(double n); // waits (the client's timeout)
 * }
 * </pre>
 *
 * <p>
 * Return {@code CompletableFuture<T>} or {@code CompletionStage<T>} to get the result
 * asynchronously, {@code T} to wait for it, or {@code void} to wait for completion;
 * remote errors are thrown (or complete the future) as
 * {@link dev.kite.protocol.KiteException}. Arguments may contain
 * {@link dev.kite.dnode.KiteCallback}s. Register interfaces with
 * {@link EnableKiteClients}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface KiteClient {

	/** The name of the client, as configured under {@code kite.clients}. */
	String value();

}
