/**
 * The sample kite application.
 */
@NullMarked
package dev.kite.sample;

import org.jspecify.annotations.NullMarked;
