package dev.kite.rpc;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A method as registered: its wire name, its handler, whether callers must authenticate,
 * and its throttle.
 *
 * @param name the wire name, e.g. {@code square} or {@code kite.ping}
 * @param handler the handler
 * @param authenticated whether a call needs verified authentication (Go's default) —
 * {@code false} is Go's {@code DisableAuthentication}
 * @param source a description of where the method comes from, used in startup errors
 * (e.g. {@code "bean 'mathService' method square(double)"})
 * @param throttle the method's token bucket (Go's {@code Throttle}), or {@code null} for
 * no rate limit
 */
public record KiteMethodDefinition(String name, KiteMethodHandler handler, boolean authenticated, String source,
		@Nullable KiteThrottle throttle) {

	public KiteMethodDefinition {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(handler, "handler");
		if (name.isBlank()) {
			throw new IllegalArgumentException("A kite method name must not be blank (" + source + ")");
		}
	}

	/**
	 * A method without a throttle.
	 * @param name the wire name
	 * @param handler the handler
	 * @param authenticated whether a call needs verified authentication
	 * @param source where the method comes from
	 */
	public KiteMethodDefinition(String name, KiteMethodHandler handler, boolean authenticated, String source) {
		this(name, handler, authenticated, source, null);
	}

	/**
	 * This method with another throttle.
	 * @param throttle the token bucket, or {@code null} for none
	 * @return a copy
	 */
	public KiteMethodDefinition withThrottle(@Nullable KiteThrottle throttle) {
		return new KiteMethodDefinition(this.name, this.handler, this.authenticated, this.source, throttle);
	}

}
