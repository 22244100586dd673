package dev.kite.server.method;

import java.util.function.Function;
import java.util.function.Predicate;

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
 *
 * <p>
 * Thread safety: immutable; the bindings it makes are immutable too.
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
		return new Binding(parameter).resolve(position, invocation);
	}

	/**
	 * What {@link #resolveArgument} does for one parameter, with everything that depends
	 * only on the parameter decided once: its Jackson type, and a direct read for the
	 * scalars Go and kite.js send most ({@code double}, {@code int}, {@code long},
	 * {@code boolean}, {@code String}) when the node already has that JSON type. Any
	 * other node goes through Jackson, as before, so coercions and errors are unchanged.
	 * @param parameter a parameter
	 * @return its binding
	 */
	ParameterBinding bind(MethodParameter parameter) {
		return new Binding(parameter);
	}

	private final class Binding implements ParameterBinding {

		private final Class<?> type;

		private final JavaType javaType;

		private final @Nullable Scalar scalar;

		Binding(MethodParameter parameter) {
			this.type = parameter.getParameterType();
			this.javaType = JacksonArgumentResolver.this.mapper.constructType(parameter.getGenericParameterType());
			this.scalar = Scalar.of(this.type);
		}

		@Override
		public @Nullable Object resolve(int position, KiteInvocation invocation) {
			JsonNode node = invocation.argument(position);
			if (node == null || node.isMissingNode()) {
				if (this.type.isPrimitive()) {
					throw invalid(invocation, position, "is missing");
				}
				return null;
			}
			if (node.isNull()) {
				if (this.type.isPrimitive()) {
					throw invalid(invocation, position, "must not be null");
				}
				return null;
			}
			Scalar scalar = this.scalar;
			if (scalar != null && scalar.matches(node)) {
				return scalar.read(node);
			}
			try {
				return JacksonArgumentResolver.this.mapper.treeToValue(node, this.javaType);
			}
			catch (JacksonException | IllegalArgumentException ex) {
				throw invalid(invocation, position, "cannot be read as " + describe(this.type));
			}
		}

	}

	/**
	 * The scalar types read without Jackson, each only from the JSON type Jackson would
	 * read to the same value without any coercion.
	 */
	private enum Scalar {

		DOUBLE(JsonNode::isNumber, JsonNode::doubleValue),

		INT(JsonNode::isInt, JsonNode::intValue),

		LONG((node) -> node.isInt() || node.isLong(), JsonNode::longValue),

		BOOLEAN(JsonNode::isBoolean, JsonNode::booleanValue),

		STRING(JsonNode::isString, JsonNode::stringValue);

		private final Predicate<JsonNode> matches;

		private final Function<JsonNode, Object> reader;

		Scalar(Predicate<JsonNode> matches, Function<JsonNode, Object> reader) {
			this.matches = matches;
			this.reader = reader;
		}

		boolean matches(JsonNode node) {
			return this.matches.test(node);
		}

		Object read(JsonNode node) {
			return this.reader.apply(node);
		}

		static @Nullable Scalar of(Class<?> type) {
			if (type == double.class || type == Double.class) {
				return DOUBLE;
			}
			if (type == int.class || type == Integer.class) {
				return INT;
			}
			if (type == long.class || type == Long.class) {
				return LONG;
			}
			if (type == boolean.class || type == Boolean.class) {
				return BOOLEAN;
			}
			if (type == String.class) {
				return STRING;
			}
			return null;
		}

	}

	/**
	 * Supplies one parameter's value for a call; made once per parameter at startup.
	 */
	@FunctionalInterface
	interface ParameterBinding {

		/**
		 * @param position the parameter's position in {@code withArgs}, or -1
		 * @param invocation the call
		 * @return the value
		 * @throws Exception on failure
		 */
		@Nullable Object resolve(int position, KiteInvocation invocation) throws Exception;

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
