/**
 * Kite keys and tokens for security tests, signed by the embedded Kontrol (or, on
 * purpose, by a key pair it does not know): {@link dev.kite.test.kontrol.KiteTestKeys}.
 */
@NullMarked
package dev.kite.test.kontrol;

import org.jspecify.annotations.NullMarked;
