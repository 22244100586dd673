/**
 * Parsing and checking of kite JWTs (kite keys and tokens) with the Go kite's claim rules
 * and error wording.
 */
@NullMarked
package dev.kite.auth.jwt;

import org.jspecify.annotations.NullMarked;
