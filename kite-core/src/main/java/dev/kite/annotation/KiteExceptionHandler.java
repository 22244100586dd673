package dev.kite.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Maps exceptions to a kite error, on a {@link KiteAdvice} bean.
 *
 * <pre class="code">
 * &#64;KiteAdvice
 * class Errors {
 *     &#64;KiteExceptionHandler
 *     KiteError notFound(NoSuchElementException ex) {
 *         return KiteError.of("notFound", "No such entry");
 *     }
 * }
 * </pre>
 *
 * <p>
 * The method may take the exception (its declared type selects what it handles unless
 * {@link #value()} lists types) and a {@link dev.kite.rpc.KiteRequest}; it returns a
 * {@link dev.kite.protocol.KiteError} or a {@link dev.kite.protocol.KiteException}, or
 * {@code null} to pass. The most specific handler across all advice beans wins.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface KiteExceptionHandler {

	/** The exception types handled; defaults to the method's exception parameter type. */
	Class<? extends Throwable>[] value() default {};

}
