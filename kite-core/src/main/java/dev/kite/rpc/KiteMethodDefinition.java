package dev.kite.rpc;

import java.util.Objects;

/**
 * A method as registered: its wire name, its handler, and whether callers must
 * authenticate.
 *
 * @param name the wire name, e.g. {@code square} or {@code kite.ping}
 * @param handler the handler
 * @param authenticated whether a call needs verified authentication (Go's default) —
 * {@code false} is Go's {@code DisableAuthentication}
 * @param source a description of where the method comes from, used in startup errors
 * (e.g. {@code "bean 'mathService' method square(double)"})
 */
public record KiteMethodDefinition(String name, KiteMethodHandler handler, boolean authenticated, String source) {

	public KiteMethodDefinition {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(handler, "handler");
		if (name.isBlank()) {
			throw new IllegalArgumentException("A kite method name must not be blank (" + source + ")");
		}
	}

}
