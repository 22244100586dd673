package dev.kite.dnode;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.POJONode;

/**
 * Helpers for reading functions out of parsed argument trees.
 */
public final class DnodeTrees {

	private DnodeTrees() {
	}

	/**
	 * The peer function held by a node, if the peer sent a function at that place.
	 * @param node a node of a parsed argument tree (may be null)
	 * @return the function, or {@code null} when the node holds none
	 */
	public static @Nullable RemoteCallback callbackAt(@Nullable JsonNode node) {
		if (node instanceof POJONode pojo && pojo.getPojo() instanceof RemoteCallback callback) {
			return callback;
		}
		return null;
	}

}
