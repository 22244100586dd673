package dev.kite.dnode;

import org.jspecify.annotations.Nullable;

/**
 * One message we send, and the connection its functions are registered on. Written by the
 * {@link DnodeModule}'s message serializer in Go's key order ({@code method},
 * {@code arguments}, {@code callbacks}); {@code callbacks} comes last, so it is complete
 * by the time it is written.
 *
 * <p>
 * The connection travels inside the value, not in the writer's configuration: Jackson
 * caches configurations with its serializers, and a connection held there could never be
 * collected.
 *
 * @param method a method name or a peer function id
 * @param arguments the arguments
 * @param state the connection that registers the functions met, and where they were met
 */
record OutgoingMessage(Object method, @Nullable Object[] arguments, DnodeModule.EncodingState state) {
}
