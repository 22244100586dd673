/**
 * Kontrol's lookup rules (PROTOCOL §6.4, §6.10): versions and version constraints as
 * hashicorp/go-version reads them, the region/hostname/id prefix filter, and the audience
 * of a query's tokens.
 */
@NullMarked
package dev.kite.kontrol.query;

import org.jspecify.annotations.NullMarked;
