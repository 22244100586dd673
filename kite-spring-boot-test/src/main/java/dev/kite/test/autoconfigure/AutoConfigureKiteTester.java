package dev.kite.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Adds a {@link dev.kite.test.tester.KiteTester} bean that calls the application's own
 * kite endpoint on the port the test's web server runs on:
 *
 * <pre class="code">
 * &#064;SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
 * &#064;AutoConfigureKiteTester
 * class MathKiteTests {
 *
 * 	&#064;Autowired
 * 	KiteTester tester;
 *
 * 	&#064;Test
 * 	void square() {
 * 		this.tester.call("square", 4).result(Double.class).isEqualTo(16.0);
 * 	}
 *
 * }
 * </pre>
 *
 * The tester sends the application's kite key unless told otherwise ({@code withToken},
 * {@code unauthenticated()}), uses {@code kite.test.tester.transport} and
 * {@code kite.test.tester.timeout}, and its connections are closed after each test
 * method. The auto-configurations imported are listed in
 * {@code META-INF/spring/dev.kite.test.autoconfigure.AutoConfigureKiteTester.imports}.
 *
 * @see KiteTesterAutoConfiguration
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureKiteTester {

}
