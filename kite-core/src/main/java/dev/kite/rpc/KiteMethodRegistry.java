package dev.kite.rpc;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The methods a kite serves, by wire name.
 *
 * <p>
 * Thread safety: registration normally happens at startup; lookups happen on every call
 * from many threads. Both are safe at any time (a concurrent map).
 */
public final class KiteMethodRegistry {

	private final Map<String, KiteMethodDefinition> methods = new ConcurrentHashMap<>();

	private final Map<String, KiteThrottle> throttles = new ConcurrentHashMap<>();

	/**
	 * Adds a method.
	 * @param definition the method
	 * @throws DuplicateKiteMethodException when a method of that name exists; the message
	 * names both sources
	 */
	public void register(KiteMethodDefinition definition) {
		KiteThrottle throttle = this.throttles.get(definition.name());
		if (throttle != null) {
			definition = definition.withThrottle(throttle);
		}
		KiteMethodDefinition existing = this.methods.putIfAbsent(definition.name(), definition);
		if (existing != null) {
			throw new DuplicateKiteMethodException(definition.name(), existing.source(), definition.source());
		}
	}

	/**
	 * Throttles a method by name, replacing the throttle its definition brings (e.g. from
	 * {@code @KiteMethod}): configuration wins over code. Applies to a method registered
	 * already and to one registered later.
	 * @param name a wire name
	 * @param throttle the token bucket
	 */
	public void throttle(String name, KiteThrottle throttle) {
		this.throttles.put(name, throttle);
		this.methods.computeIfPresent(name, (key, definition) -> definition.withThrottle(throttle));
	}

	/**
	 * The method with that name.
	 * @param name a wire name
	 * @return the method, or {@code null}
	 */
	public @Nullable KiteMethodDefinition find(String name) {
		return this.methods.get(name);
	}

	/** Every registered method (a read-only view). */
	public Collection<KiteMethodDefinition> methods() {
		return Collections.unmodifiableCollection(this.methods.values());
	}

}
