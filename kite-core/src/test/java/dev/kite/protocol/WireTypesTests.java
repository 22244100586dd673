package dev.kite.protocol;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class WireTypesTests {

	// A hostile application mapper: snake_case and NON_NULL must not change the wire
	// format.
	private final JsonMapper mapper = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.changeDefaultPropertyInclusion(
				(incl) -> incl.withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
		.build();

	@Test
	void kiteHasAllSevenFieldsInGoOrder() {
		Kite kite = new Kite("math", "devrim", "id-1", "production", "eu", "1.0.0", null);
		assertThat(this.mapper.writeValueAsString(kite)).isEqualTo("{\"name\":\"math\",\"username\":\"devrim\","
				+ "\"id\":\"id-1\",\"environment\":\"production\",\"region\":\"eu\",\"version\":\"1.0.0\",\"hostname\":\"\"}");
	}

	@Test
	void kitePathRoundTrips() {
		Kite kite = new Kite("math", "devrim", "id-1", "production", "eu", "1.0.0", "host");
		assertThat(kite.toPath()).isEqualTo("/devrim/production/math/1.0.0/eu/host/id-1");
		assertThat(Kite.fromPath(kite.toPath())).isEqualTo(kite);
		assertThat(Kite.fromPath("/devrim/production")).isEqualTo(new Kite("", "devrim", "", "production", "", "", ""));
	}

	@Test
	void errorAlwaysHasFourStringKeys() {
		assertThat(this.mapper.writeValueAsString(KiteError.of("methodNotFound", "Method not found: x")))
			.isEqualTo("{\"type\":\"methodNotFound\",\"message\":\"Method not found: x\",\"code\":\"\",\"id\":\"\"}");
	}

	@Test
	void errorRendersLikeGo() {
		assertThat(new KiteError("genericError", "boom", "", "abc")).hasToString("boom (abc)");
		assertThat(new KiteError("timeout", "No response", "", "")).hasToString("timeout: No response");
	}

	@Test
	void responseAlwaysHasBothKeys() {
		assertThat(this.mapper.writeValueAsString(CallResponse.success(null)))
			.isEqualTo("{\"error\":null,\"result\":null}");
		assertThat(this.mapper.writeValueAsString(CallResponse.success(16)))
			.isEqualTo("{\"error\":null,\"result\":16}");
	}

	@Test
	void registerResultOmitsEmptyOptionalFields() {
		assertThat(this.mapper.writeValueAsString(new RegisterResult("http://h/kite", 10, null, null, null)))
			.isEqualTo("{\"url\":\"http://h/kite\",\"heartbeatInterval\":10}");
		assertThat(this.mapper.writeValueAsString(RegisterArgs.of("http://h/kite")))
			.isEqualTo("{\"url\":\"http://h/kite\"}");
	}

	@Test
	void queryAndTokenArgsUseGoNames() {
		KontrolQuery query = new KontrolQuery("devrim", "production", "math", "", "", "", "");
		assertThat(this.mapper.writeValueAsString(GetKitesArgs.of(query)))
			.isEqualTo("{\"query\":{\"username\":\"devrim\","
					+ "\"environment\":\"production\",\"name\":\"math\",\"version\":\"\",\"region\":\"\",\"hostname\":\"\","
					+ "\"id\":\"\"},\"watchCallback\":null,\"who\":null}");
		GetTokenArgs token = this.mapper.readValue("{\"id\":\"x\",\"force\":true}", GetTokenArgs.class);
		assertThat(token.query()).isEqualTo(new KontrolQuery("", "", "", "", "", "", "x"));
		assertThat(token.force()).isTrue();
		assertThat(this.mapper.readValue("{\"force\":false}", GetTokenArgs.class).query())
			.isEqualTo(new KontrolQuery("", "", "", "", "", "", ""));
		// Go's token renewer sends a Kite object with no force field at all.
		GetTokenArgs renewal = this.mapper
			.readValue("{\"name\":\"math\",\"username\":\"devrim\",\"id\":\"x\",\"environment\":\"\",\"region\":\"\","
					+ "\"version\":\"\",\"hostname\":\"\"}", GetTokenArgs.class);
		assertThat(renewal.force()).isFalse();
		assertThat(renewal.query()).isEqualTo(new KontrolQuery("devrim", "", "math", "", "", "", "x"));
		assertThat(this.mapper.writeValueAsString(new GetTokenArgs(query, true))).isEqualTo("{\"username\":\"devrim\","
				+ "\"environment\":\"production\",\"name\":\"math\",\"version\":\"\",\"region\":\"\","
				+ "\"hostname\":\"\",\"id\":\"\",\"force\":true}");
	}

	@Test
	void getKitesResultUsesKeyIdAndOmitsItWhenEmpty() {
		Kite kite = new Kite("math", "u", "i", "e", "r", "1.0.0", "h");
		assertThat(this.mapper.writeValueAsString(new GetKitesResult(List.of(new KiteWithToken(kite, "url", "", "t")))))
			.contains("\"url\":\"url\",\"token\":\"t\"")
			.doesNotContain("keyId");
		assertThat(this.mapper.writeValueAsString(new KiteWithToken(kite, "url", "k1", "t")))
			.contains("\"keyId\":\"k1\"");
	}

	@Test
	void eventUsesUpperCaseActions() {
		assertThat(this.mapper.writeValueAsString(new KiteEvent(KiteEvent.REGISTER, Kite.unknown(), "", "")))
			.startsWith("{\"action\":\"REGISTER\",\"kite\":{");
	}

	@Test
	void requestIdsAreSixteenLowercaseHexCharacters() {
		for (int i = 0; i < 1000; i++) {
			assertThat(RequestIds.next()).matches("[0-9a-f]{16}");
		}
	}

	@Test
	void authNeverPrintsItsKey() {
		assertThat(new Auth("token", "secret.jwt.value")).hasToString("Auth[type=token, key=(16 chars)]");
	}

}
