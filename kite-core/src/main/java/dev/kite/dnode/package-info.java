/**
 * The dnode layer (PROTOCOL §2): one JSON message per frame, functions travelling as
 * callback ids, and a per-connection table of the functions this side has sent.
 *
 * <p>
 * Incoming: a message is parsed once into a Jackson tree; each path listed under
 * {@code callbacks} is replaced in that tree by a {@code POJONode} that holds a
 * {@link dev.kite.dnode.RemoteCallback}, so binding code finds the peer's functions
 * exactly where the peer put them. Outgoing: arguments are serialised in one pass; every
 * {@link dev.kite.dnode.KiteCallback} met on the way is given the next id, written as
 * {@code "[Function]"} and its path recorded, Go's way (array indices as numbers).
 */
@NullMarked
package dev.kite.dnode;

import org.jspecify.annotations.NullMarked;
