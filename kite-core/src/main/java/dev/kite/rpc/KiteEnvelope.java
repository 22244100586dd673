package dev.kite.rpc;

import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;

/**
 * The checked parts of a method call's envelope (PROTOCOL §3.1), as
 * {@link KiteEnvelopeReader} reads them.
 *
 * @param kite who the caller says it is, or {@code null} when the envelope has none
 * @param auth the caller's credentials, or {@code null} when the envelope has none
 * @param withArgs the positional arguments, always an array (empty for Go's {@code null})
 */
record KiteEnvelope(@Nullable Kite kite, @Nullable Auth auth, ArrayNode withArgs) {
}
