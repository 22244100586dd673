/**
 * The soak: {@link dev.kite.benchmarks.soak.Soak} keeps many {@code KiteConnection}s
 * calling an in-process server of our stack while it drops connections at random, and
 * {@link dev.kite.benchmarks.soak.SoakCommand} is the {@code soak} command.
 */
@NullMarked
package dev.kite.benchmarks.soak;

import org.jspecify.annotations.NullMarked;
