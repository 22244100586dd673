package dev.kite.dnode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code callbacks} map of one outgoing message: callback id (as a decimal string) to
 * the path of the function inside {@code arguments}. Filled while the arguments are
 * written, read right after, by the same thread.
 */
final class CallbackPaths {

	private final Map<String, List<Object>> paths = new LinkedHashMap<>(4);

	void put(long id, List<Object> path) {
		this.paths.put(Long.toString(id), path);
	}

	Map<String, List<Object>> asMap() {
		return this.paths;
	}

}
