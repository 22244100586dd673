package dev.kite.server.method;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeModule;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteException;
import dev.kite.rpc.KiteInvocation;
import dev.kite.rpc.KiteRequest;
import dev.kite.rpc.KiteSession;
import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The per-parameter binding reads scalars without Jackson only where Jackson would give
 * the same value: every value and every refusal must equal what
 * {@code ObjectMapper.treeToValue} gives for the declared type.
 */
class JacksonArgumentResolverTests {

	private static final String[] NODES = { "4", "-7", "4.5", "1e3", "3000000000", "12345678901234567890", "\"4\"",
			"\"x\"", "true", "false", "\"true\"", "[1]", "{\"a\":1}", "null" };

	private final JsonMapper mapper = JsonMapper.builder().addModule(new DnodeModule()).build();

	private final JacksonArgumentResolver resolver = new JacksonArgumentResolver(this.mapper);

	private final KiteSession session = new KiteSession("s", new DnodeConnection(this.mapper, (text) -> {
	}), false, Runnable::run);

	@SuppressWarnings("unused")
	void scalars(double d, Double boxedD, int i, Integer boxedI, long l, Long boxedL, boolean b, Boolean boxedB,
			String s, List<Integer> list, Map<String, Integer> map) {
	}

	@Test
	void everyScalarBindsAsJacksonBindsIt() throws Exception {
		Method method = getClass().getDeclaredMethod("scalars", double.class, Double.class, int.class, Integer.class,
				long.class, Long.class, boolean.class, Boolean.class, String.class, List.class, Map.class);
		for (int index = 0; index < method.getParameterCount(); index++) {
			MethodParameter parameter = new MethodParameter(method, index);
			JacksonArgumentResolver.ParameterBinding binding = this.resolver.bind(parameter);
			for (String json : NODES) {
				JsonNode node = this.mapper.readTree(json);
				KiteInvocation invocation = invocation("[" + json + "]");
				String description = parameter.getParameterType().getSimpleName() + " from " + json;
				Object expected;
				try {
					expected = expected(parameter, node);
				}
				catch (Exception ex) {
					assertThatExceptionOfType(KiteException.class).as(description)
						.isThrownBy(() -> binding.resolve(0, invocation));
					continue;
				}
				assertThat(binding.resolve(0, invocation)).as(description).isEqualTo(expected);
				assertThat(this.resolver.resolveArgument(parameter, 0, invocation)).as(description).isEqualTo(expected);
			}
		}
	}

	private Object expected(MethodParameter parameter, JsonNode node) {
		if (node.isNull() && parameter.getParameterType().isPrimitive()) {
			throw new IllegalArgumentException("null for a primitive");
		}
		return this.mapper.treeToValue(node, this.mapper.constructType(parameter.getGenericParameterType()));
	}

	@Test
	void aMissingPrimitiveIsAnArgumentErrorAndAMissingObjectIsNull() throws Exception {
		Method method = getClass().getDeclaredMethod("scalars", double.class, Double.class, int.class, Integer.class,
				long.class, Long.class, boolean.class, Boolean.class, String.class, List.class, Map.class);
		KiteInvocation none = invocation("[]");
		assertThatExceptionOfType(KiteException.class)
			.isThrownBy(() -> this.resolver.bind(new MethodParameter(method, 0)).resolve(0, none))
			.satisfies((ex) -> assertThat(ex.error().message()).isEqualTo("Argument 0 of square is missing"));
		assertThat(this.resolver.bind(new MethodParameter(method, 1)).resolve(0, none)).isNull();
	}

	private KiteInvocation invocation(String arguments) {
		return new KiteInvocation(new KiteRequest("square", "alice", null, Kite.unknown(), "0123456789abcdef"),
				(ArrayNode) this.mapper.readTree(arguments), this.session, null);
	}

}
