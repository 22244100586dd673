/**
 * Actuator support: the {@code kites} endpoint and the {@code kite} health indicator.
 */
@NullMarked
package dev.kite.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
