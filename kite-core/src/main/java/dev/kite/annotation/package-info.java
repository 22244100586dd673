/**
 * The annotations users put on their beans: {@link dev.kite.annotation.KiteMethod} to
 * serve a method, {@link dev.kite.annotation.KiteAdvice} with
 * {@link dev.kite.annotation.KiteExceptionHandler} to map exceptions to kite errors.
 */
@NullMarked
package dev.kite.annotation;

import org.jspecify.annotations.NullMarked;
