/**
 * The standalone Kontrol application ({@code kite-kontrol-server.jar}).
 */
@NullMarked
package dev.kite.kontrol.server;

import org.jspecify.annotations.NullMarked;
