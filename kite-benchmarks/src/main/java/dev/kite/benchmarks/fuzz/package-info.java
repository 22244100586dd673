/**
 * The hostile-frame fuzzer: {@link dev.kite.benchmarks.fuzz.HostileFrames} generates
 * malformed and hostile dnode frames from a seed, {@link dev.kite.benchmarks.fuzz.Fuzzer}
 * sends them over real connections to an in-process
 * {@link dev.kite.benchmarks.fuzz.FuzzServer} and checks that each is answered or dropped
 * as it should be, that nothing escapes the handler
 * ({@link dev.kite.benchmarks.fuzz.LogWatch}), that a bystander keeps being served and
 * that the heap stays flat; {@link dev.kite.benchmarks.fuzz.FuzzCommand} is the
 * {@code fuzz} command.
 */
@NullMarked
package dev.kite.benchmarks.fuzz;

import org.jspecify.annotations.NullMarked;
