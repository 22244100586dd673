package dev.kite.dnode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The {@code callbacks} map of one outgoing message: callback id (as a decimal string) to
 * the path of the function inside {@code arguments}. Filled while the arguments are
 * written, read right after, by the same thread.
 */
final class CallbackPaths {

	/** Made on the first function: most messages (every reply) carry none. */
	private @Nullable Map<String, List<Object>> paths;

	void put(long id, List<Object> path) {
		Map<String, List<Object>> paths = this.paths;
		if (paths == null) {
			paths = new LinkedHashMap<>(4);
			this.paths = paths;
		}
		paths.put(Long.toString(id), path);
	}

	Map<String, List<Object>> asMap() {
		Map<String, List<Object>> paths = this.paths;
		return (paths != null) ? paths : Collections.emptyMap();
	}

}
