package dev.kite.client;

import java.time.Duration;

import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KiteResponsesTest {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private JsonNode[] arguments(String json) {
		JsonNode array = this.mapper.readTree(json);
		JsonNode[] nodes = new JsonNode[array.size()];
		for (int i = 0; i < nodes.length; i++) {
			nodes[i] = array.get(i);
		}
		return nodes;
	}

	private JsonNode read(String json) {
		return KiteResponses.read(arguments(json));
	}

	@Test
	void goAndKiteJsServerForm() {
		assertThat(read("[{\"error\":null,\"result\":16}]").asInt()).isEqualTo(16);
		assertThat(read("[{\"result\":{\"a\":[1]}}]").get("a").get(0).asInt()).isEqualTo(1);
		// kite.js KiteServer omits an undefined result
		assertThat(read("[{\"error\":null}]")).isNull();
		assertThat(read("[{\"error\":null,\"result\":null}]").isNull()).isTrue();
	}

	@Test
	void errorWinsEvenWithAResult() {
		assertThatThrownBy(() -> read(
				"[{\"error\":{\"type\":\"authenticationError\",\"message\":\"token: token is expired\",\"code\":\"\",\"id\":\"3f9a0c1d2e4b5a69\"},\"result\":1}]"))
			.isInstanceOfSatisfying(KiteException.class, (ex) -> {
				assertThat(ex.type()).isEqualTo(KiteErrorTypes.AUTHENTICATION_ERROR);
				assertThat(ex.error().message()).isEqualTo("token: token is expired");
				assertThat(ex.error().id()).isEqualTo("3f9a0c1d2e4b5a69");
				assertThat(ex.getMessage())
					.isEqualTo("authenticationError: token: token is expired (3f9a0c1d2e4b5a69)");
			});
	}

	@Test
	void errorFieldsMayBeAbsentOrNonStringScalars() {
		// a JS Error thrown by a kite.js handler has only a message; a numeric code is
		// taken as text
		assertThatThrownBy(() -> read("[{\"error\":{\"message\":\"boom\",\"code\":7}}]"))
			.isInstanceOfSatisfying(KiteException.class, (ex) -> {
				assertThat(ex.type()).isEmpty();
				assertThat(ex.error().message()).isEqualTo("boom");
				assertThat(ex.error().code()).isEqualTo("7");
			});
		assertThatThrownBy(() -> read("[{\"error\":{\"message\":{\"nested\":1}}}]")).isInstanceOfSatisfying(
				KiteException.class, (ex) -> assertThat(ex.type()).isEqualTo(KiteErrorTypes.INVALID_RESPONSE));
	}

	@Test
	void kiteJsClientPositionalForm() {
		assertThat(read("[null,\"pong\"]").asString()).isEqualTo("pong");
		assertThat(read("[null]")).isNull(); // its answer to kite.heartbeat
		assertThatThrownBy(() -> read("[{\"message\":\"no such thing\"},null]")).isInstanceOfSatisfying(
				KiteException.class, (ex) -> assertThat(ex.error().message()).isEqualTo("no such thing"));
		assertThatThrownBy(() -> read("[\"plain text\",null]")).isInstanceOfSatisfying(KiteException.class,
				(ex) -> assertThat(ex.error().message()).isEqualTo("plain text"));
		// a kite.js client's auth failure sits inside the result
		assertThatThrownBy(() -> read("[null,{\"error\":{\"message\":\"Authentication failed\"}}]"))
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.error().message()).isEqualTo("Authentication failed"));
		// a result that merely has other keys stays a result
		assertThat(read("[null,{\"error\":1,\"other\":2}]").get("other").asInt()).isEqualTo(2);
	}

	@ParameterizedTest
	@ValueSource(strings = { "[]", "[1,2,3]", "[null,null,null]" })
	void wrongArgumentCountIsInvalidResponse(String arguments) {
		assertThatThrownBy(() -> read(arguments)).isInstanceOfSatisfying(KiteException.class, (ex) -> {
			assertThat(ex.type()).isEqualTo(KiteErrorTypes.INVALID_RESPONSE);
			assertThat(ex.error().message()).isEqualTo("Invalid array length");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "[{}]", "[{\"results\":1}]", "[16]", "[\"pong\"]", "[[1]]" })
	void singleArgumentWithoutErrorOrResultIsInvalidResponse(String arguments) {
		assertThatThrownBy(() -> read(arguments)).isInstanceOfSatisfying(KiteException.class, (ex) -> {
			assertThat(ex.type()).isEqualTo(KiteErrorTypes.INVALID_RESPONSE);
			assertThat(ex.error().message()).isEqualTo("Server has sent invalid response arguments");
		});
	}

	@Test
	void localErrorsUseGosWording() {
		assertThat(KiteResponses.timeout("square", Duration.ofSeconds(15)).getMessage())
			.isEqualTo("timeout: No response to \"square\" method in 15s");
		assertThat(KiteResponses.disconnect().error().message()).isEqualTo("Remote kite has disconnected");
		assertThat(KiteResponses.disconnect().type()).isEqualTo(KiteErrorTypes.DISCONNECT);
	}

}
