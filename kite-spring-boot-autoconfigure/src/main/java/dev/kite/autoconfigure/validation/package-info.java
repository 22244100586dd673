/**
 * Bean Validation of {@code @KiteMethod} arguments: violations answer
 * {@code argumentError}.
 */
@NullMarked
package dev.kite.autoconfigure.validation;

import org.jspecify.annotations.NullMarked;
