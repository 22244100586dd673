package dev.kite.dnode;

import tools.jackson.databind.JsonNode;

/**
 * A function this side passes to a peer: put one anywhere in a call's arguments (top
 * level, or nested in lists, maps and records) and the peer receives a callable handle.
 * Each time the peer calls it, this method runs with the arguments the peer sent.
 *
 * <p>
 * Invocations from one connection run one at a time, in arrival order, off the network
 * thread. Arguments that are themselves functions arrive as nodes holding a
 * {@link RemoteCallback}; read them with {@link DnodeTrees#callbackAt(JsonNode)}.
 */
@FunctionalInterface
public interface KiteCallback {

	/**
	 * Called when the peer invokes this function.
	 * @param arguments the arguments, in order
	 */
	void call(JsonNode... arguments);

}
