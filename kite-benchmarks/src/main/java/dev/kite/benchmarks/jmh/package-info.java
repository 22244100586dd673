/**
 * JMH microbenchmarks of the serving hot path: one frame as a Go kite sends it, decoded,
 * dispatched to an annotated method, answered and encoded, on the calling thread.
 */
@NullMarked
package dev.kite.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
