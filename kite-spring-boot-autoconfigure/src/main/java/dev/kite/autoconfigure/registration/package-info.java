/**
 * Registration of the application's kite with Kontrol: the lifecycle bean that registers
 * once the web server has its port and deregisters before its graceful shutdown, the
 * events it publishes, and its health indicator.
 */
@NullMarked
package dev.kite.autoconfigure.registration;

import org.jspecify.annotations.NullMarked;
