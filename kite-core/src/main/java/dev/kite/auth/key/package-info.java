/**
 * This kite's own kite key: where it is read from, what it holds, and the swappable
 * holder that lets a re-key reach every user of the key.
 */
@NullMarked
package dev.kite.auth.key;

import org.jspecify.annotations.NullMarked;
