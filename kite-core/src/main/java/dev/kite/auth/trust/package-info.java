/**
 * Which Kontrol keys this kite trusts, with caching of trust decisions.
 */
@NullMarked
package dev.kite.auth.trust;

import org.jspecify.annotations.NullMarked;
