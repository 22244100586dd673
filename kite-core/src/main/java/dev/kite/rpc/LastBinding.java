package dev.kite.rpc;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Remembers the last JSON object bound to a type on one connection, and its value. A peer
 * sends the same {@code kite} and {@code authentication} objects with every request (Go
 * and kite.js both do), so binding them again would build an equal record each time;
 * comparing the nodes is much cheaper than Jackson's record binding, and a value that
 * bound once binds again to an equal value, so the result is the same.
 *
 * <p>
 * Reusing the value also keeps its strings the same instances, so the hash of a kite key
 * or token (the key of the providers' verification caches) is computed once per
 * connection, not once per call.
 *
 * <p>
 * Thread safety: any thread may call {@link #bind}; the last binding is published as one
 * immutable entry through a volatile field, so a reader sees a node with its own value.
 *
 * @param <T> the bound type
 */
final class LastBinding<T> {

	private final Class<T> type;

	private volatile @Nullable Entry<T> last;

	LastBinding(Class<T> type) {
		this.type = type;
	}

	/**
	 * Binds a node, or returns the value of an equal node bound last.
	 * @param node a JSON object
	 * @param mapper binds it when it differs from the last one
	 * @return the value
	 * @throws tools.jackson.core.JacksonException when the node does not bind
	 */
	T bind(JsonNode node, ObjectMapper mapper) {
		Entry<T> entry = this.last;
		if (entry != null && entry.node().equals(node)) {
			return entry.value();
		}
		T value = mapper.treeToValue(node, this.type);
		this.last = new Entry<>(node, value);
		return value;
	}

	private record Entry<T>(JsonNode node, T value) {
	}

}
