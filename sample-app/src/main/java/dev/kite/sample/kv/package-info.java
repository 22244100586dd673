/**
 * A versioned key-value kite: {@code kv.get}, {@code kv.put} (compare-and-set on a
 * version) and {@code kv.watch} (every accepted put, fanned out to every watcher) — a
 * model of a stateful kite.
 */
@NullMarked
package dev.kite.sample.kv;

import org.jspecify.annotations.NullMarked;
