/**
 * Kite wire types: immutable records whose JSON names and field order match the Go kite's
 * {@code protocol} package exactly (see PROTOCOL.md §3 and §6.2).
 *
 * <p>
 * Every component carries an explicit {@code @JsonProperty} name, so an application-wide
 * Jackson naming strategy cannot change what goes on the wire.
 */
@NullMarked
package dev.kite.protocol;

import org.jspecify.annotations.NullMarked;
