package dev.kite.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Runs the application's embedded Kontrol in the test
 * ({@code kite.kontrol.server.enabled=true}) with a temporary key directory
 * ({@code kite.kontrol.server.key-dir}, deleted when the application context closes)
 * instead of {@code ~/.kite/kontrol}, and adds a
 * {@link dev.kite.test.kontrol.KiteTestKeys} bean that mints kite keys and tokens signed
 * by it:
 *
 * <pre class="code">
 * &#064;SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
 * &#064;AutoConfigureKiteTester
 * &#064;AutoConfigureEmbeddedKontrol
 * class SecurityTests {
 *
 * 	&#064;Autowired
 * 	KiteTester tester;
 *
 * 	&#064;Autowired
 * 	KiteTestKeys keys;
 *
 * 	&#064;Test
 * 	void expiredTokenIsRefused() {
 * 		this.tester.withToken(this.keys.expiredToken()).call("squareAuth", 3).error().hasType("authenticationError");
 * 	}
 *
 * }
 * </pre>
 *
 * Needs {@code dev.kite:kite-kontrol} on the test class path. Properties named in
 * {@code @SpringBootTest(properties = …)} or {@code @TestPropertySource} win over the two
 * this annotation sets; {@code application.yml} does not.
 *
 * @see EmbeddedKontrolContextCustomizerFactory
 * @see EmbeddedKontrolTestAutoConfiguration
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureEmbeddedKontrol {

}
