/**
 * Spring Boot auto-configuration for kites: {@link dev.kite.autoconfigure.KiteProperties}
 * ({@code kite.*}), the kite's identity and JSON mapper, and the kite endpoint with
 * {@code @KiteMethod} detection.
 */
@NullMarked
package dev.kite.autoconfigure;

import org.jspecify.annotations.NullMarked;
