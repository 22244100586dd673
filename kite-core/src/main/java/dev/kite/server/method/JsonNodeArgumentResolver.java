package dev.kite.server.method;

import dev.kite.rpc.KiteInvocation;
import org.springframework.core.MethodParameter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * Supplies the raw argument at this parameter's position ({@code null} node when absent).
 */
final class JsonNodeArgumentResolver implements KiteArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == JsonNode.class;
	}

	@Override
	public boolean isPositional(MethodParameter parameter) {
		return true;
	}

	@Override
	public JsonNode resolveArgument(MethodParameter parameter, int position, KiteInvocation invocation) {
		JsonNode node = invocation.argument(position);
		return (node != null) ? node : NullNode.getInstance();
	}

}
