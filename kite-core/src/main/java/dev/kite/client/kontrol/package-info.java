/**
 * Kontrol from a kite's side: {@link dev.kite.client.kontrol.KontrolClient} (Kontrol's
 * methods over one kite connection), {@link dev.kite.client.kontrol.KontrolRegistration}
 * (keeping this kite registered, over dnode or Kontrol's HTTP endpoints), and key
 * rotation ({@link dev.kite.client.kontrol.KontrolKeyRotation}).
 */
@NullMarked
package dev.kite.client.kontrol;

import org.jspecify.annotations.NullMarked;
