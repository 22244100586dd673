/**
 * Declarative clients: {@link dev.kite.client.declarative.KiteClient} interfaces,
 * registered by {@link dev.kite.client.declarative.EnableKiteClients} through its
 * registrar, become proxies that call a named {@link dev.kite.client.KiteConnection}.
 */
@NullMarked
package dev.kite.client.declarative;

import org.jspecify.annotations.NullMarked;
