/**
 * Test auto-configuration for kite applications:
 * {@link dev.kite.test.autoconfigure.AutoConfigureKiteTester @AutoConfigureKiteTester} (a
 * {@link dev.kite.test.tester.KiteTester} bean bound to the running server) and
 * {@link dev.kite.test.autoconfigure.AutoConfigureEmbeddedKontrol @AutoConfigureEmbeddedKontrol}
 * (the embedded Kontrol with a temporary key directory, and
 * {@link dev.kite.test.kontrol.KiteTestKeys}).
 *
 * <p>
 * There is no {@code @KiteTest} slice: kite methods are served over the real WebSocket
 * and SockJS endpoint of the embedded web server, authenticated against the (embedded)
 * Kontrol and the application's security filter chain, so a slice would still start the
 * web server, the kite endpoint, Kontrol and security; what it could leave out (the
 * application's other beans) is what {@code @KiteMethod} beans usually depend on. Use
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} with the annotations here.
 */
@NullMarked
package dev.kite.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
