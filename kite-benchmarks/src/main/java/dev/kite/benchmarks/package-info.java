/**
 * The benchmark runner: {@link dev.kite.benchmarks.KiteBenchmarks} picks a subcommand
 * ({@code kontrol}, …) and {@link dev.kite.benchmarks.BenchmarkArguments} reads its
 * {@code --name value} options; {@link dev.kite.benchmarks.Latencies} summarises an
 * HdrHistogram.
 */
@NullMarked
package dev.kite.benchmarks;

import org.jspecify.annotations.NullMarked;
