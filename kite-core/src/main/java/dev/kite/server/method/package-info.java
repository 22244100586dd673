/**
 * Serving annotated bean methods: detection of {@link dev.kite.annotation.KiteMethod}
 * beans, argument binding through {@link dev.kite.server.method.KiteArgumentResolver}s,
 * and {@link dev.kite.annotation.KiteAdvice} exception handlers.
 */
@NullMarked
package dev.kite.server.method;

import org.jspecify.annotations.NullMarked;
