package dev.kite.server.method;

import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.rpc.KiteInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The fallback: converts the argument at this parameter's position to the declared
 * generic type with Jackson. A missing argument is {@code null} (an error for
 * primitives); a value of the wrong shape is an {@code argumentError} that names the
 * position and the expected type, never Jackson's own message.
 */
final class JacksonArgumentResolver implements KiteArgumentResolver {

	private final ObjectMapper mapper;

	JacksonArgumentResolver(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return true;
	}

	@Override
	public boolean isPositional(MethodParameter parameter) {
		return true;
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, int position, KiteInvocation invocation) {
		JsonNode node = invocation.argument(position);
		Class<?> type = parameter.getParameterType();
		if (node == null || node.isMissingNode()) {
			if (type.isPrimitive()) {
				throw invalid(invocation, position, "is missing");
			}
			return null;
		}
		if (node.isNull()) {
			if (type.isPrimitive()) {
				throw invalid(invocation, position, "must not be null");
			}
			return null;
		}
		JavaType javaType = this.mapper.constructType(parameter.getGenericParameterType());
		try {
			return this.mapper.treeToValue(node, javaType);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw invalid(invocation, position, "cannot be read as " + describe(type));
		}
	}

	private static KiteException invalid(KiteInvocation invocation, int position, String problem) {
		return new KiteException(KiteErrorTypes.ARGUMENT_ERROR,
				"Argument " + position + " of " + invocation.request().method() + " " + problem);
	}

	private static String describe(Class<?> type) {
		if (type == double.class || type == float.class || Number.class.isAssignableFrom(type) || type == int.class
				|| type == long.class || type == short.class || type == byte.class) {
			return "a number";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "a boolean";
		}
		if (CharSequence.class.isAssignableFrom(type)) {
			return "a string";
		}
		if (type.isArray() || Iterable.class.isAssignableFrom(type)) {
			return "an array";
		}
		return "an object of the declared shape";
	}

}
