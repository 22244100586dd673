package dev.kite.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.stereotype.Component;

/**
 * Marks a bean whose {@link KiteExceptionHandler} methods map exceptions thrown by any
 * {@code @KiteMethod} to kite errors — the {@code @ControllerAdvice} habit for kites.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface KiteAdvice {

}
