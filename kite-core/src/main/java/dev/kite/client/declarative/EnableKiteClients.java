package dev.kite.client.declarative;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.kite.client.declarative.KiteClientsRegistrar;
import org.springframework.context.annotation.Import;

/**
 * Registers every {@link KiteClient} interface found in the given packages as a bean (a
 * proxy that calls the remote kite through the named client). Without packages, the
 * package of the annotated class is scanned, as {@code @SpringBootApplication} does for
 * components.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(KiteClientsRegistrar.class)
public @interface EnableKiteClients {

	/** Base packages to scan. */
	String[] value() default {};

	/** Classes whose packages are scanned. */
	Class<?>[] basePackageClasses() default {};

}
