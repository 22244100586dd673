package dev.kite.rpc;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * One call being served: the request facts, the arguments ({@code withArgs}, always an
 * array), the verified authentication, and the session it arrived on. Handed to handlers,
 * argument resolvers and interceptors; used by one thread at a time.
 */
public final class KiteInvocation {

	private final KiteRequest request;

	private final ArrayNode arguments;

	private final KiteSession session;

	private final @Nullable Authentication authentication;

	/**
	 * @param request the request facts
	 * @param arguments the call's arguments
	 * @param session the connection it arrived on
	 * @param authentication the verified authentication, or {@code null} when none was
	 * required
	 */
	public KiteInvocation(KiteRequest request, ArrayNode arguments, KiteSession session,
			@Nullable Authentication authentication) {
		this.request = Objects.requireNonNull(request);
		this.arguments = Objects.requireNonNull(arguments);
		this.session = Objects.requireNonNull(session);
		this.authentication = authentication;
	}

	/** The request facts. */
	public KiteRequest request() {
		return this.request;
	}

	/** All arguments. Functions the caller passed are nodes holding a RemoteCallback. */
	public ArrayNode arguments() {
		return this.arguments;
	}

	/**
	 * One positional argument.
	 * @param index its position
	 * @return the node, or {@code null} when the caller sent fewer arguments
	 */
	public @Nullable JsonNode argument(int index) {
		return (index < this.arguments.size()) ? this.arguments.get(index) : null;
	}

	/** The session the call arrived on. */
	public KiteSession session() {
		return this.session;
	}

	/**
	 * The verified authentication, or {@code null} when the method does not require one.
	 */
	public @Nullable Authentication authentication() {
		return this.authentication;
	}

}
