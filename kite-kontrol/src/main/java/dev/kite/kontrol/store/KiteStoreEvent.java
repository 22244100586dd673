package dev.kite.kontrol.store;

import dev.kite.protocol.KiteEvent;

/**
 * A change of the registry, delivered to {@link KiteStore#subscribe subscribers}: a kite
 * was registered (inserted, or its URL changed) or deregistered (deleted or expired). A
 * store shared by several Kontrol instances delivers the changes made through every
 * instance.
 *
 * @param action {@link KiteEvent#REGISTER} or {@link KiteEvent#DEREGISTER}
 * @param record the record as written (for a deregistration, as it was last known)
 */
public record KiteStoreEvent(String action, KiteRecord record) {
}
