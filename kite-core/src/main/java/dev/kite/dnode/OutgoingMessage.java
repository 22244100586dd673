package dev.kite.dnode;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * The shape of every message we send, in Go's key order. {@code callbacks} is written after
 * {@code arguments}, so it is complete by the time Jackson reaches it.
 */
@JsonPropertyOrder({ "method", "arguments", "callbacks" })
record OutgoingMessage(
		@JsonProperty("method") Object method,
		@JsonProperty("arguments") @Nullable Object[] arguments,
		@JsonProperty("callbacks") CallbackPaths callbacks) {
}
