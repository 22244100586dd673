/**
 * Micrometer support: the observation conventions' wiring and the kite server's gauges.
 */
@NullMarked
package dev.kite.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
