package dev.kite.interop;

import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code src/test/js/kontrol-client-checks.js} — the unmodified kite.js 1.0.13
 * finding the sample app through a Kontrol and calling it with the token Kontrol minted —
 * and asserts what it printed. Shared by the tests against the stand-alone Java Kontrol
 * and against the app's embedded Kontrol.
 */
final class KontrolClientChecks {

	private KontrolClientChecks() {
	}

	/**
	 * Runs the script for the sample app's identity.
	 * @param mode {@code sockjs} or {@code raw} (how kite.js dials Kontrol)
	 * @param kontrolUrl Kontrol's SockJS base URL or raw WebSocket URL, to match
	 * @param kiteKey the kite key kite.js presents to Kontrol
	 * @return the run
	 */
	static NodeScript.Result run(String mode, String kontrolUrl, String kiteKey) {
		return NodeScript.run(Duration.ofSeconds(45), Map.of("KITE_KEY", kiteKey), "kontrol-client-checks.js", mode,
				kontrolUrl, SampleApp.USERNAME, SampleApp.ENVIRONMENT, SampleApp.NAME);
	}

	/**
	 * Asserts that kite.js found exactly the app, got a token for it from Kontrol, and
	 * called {@code squareAuth} and {@code square} with it; in SockJS mode through
	 * kite.js's {@code Kontrol} helper too.
	 * @param run the script's run
	 * @param mode as run
	 * @param app the app kite.js had to find
	 * @param kontrolUser Kontrol's username, the token's issuer
	 * @param keyId the id of the key pair Kontrol stored the app's record with, or
	 * {@code null} when the test cannot know it (then it must be present)
	 * @param requester the owner of the kite key kite.js presented, the token's subject
	 */
	static void assertFoundAndCalled(NodeScript.Result run, String mode, SampleApp app, String kontrolUser,
			@Nullable String keyId, String requester) throws ParseException {
		assertThat(run.exitCode()).as(run.describe()).isZero();
		assertThat(run.check("connectKontrol").get("value").get("kind").asString()).as(run.describe())
			.isEqualTo(mode.equals("raw") ? "ws" : "sockjs");

		JsonNode getKites = result(run, "getKites");
		assertThat(getKites.get("kites").size()).as(run.describe()).isEqualTo(1);
		JsonNode found = getKites.get("kites").get(0);
		assertThat(found.get("url").asString()).isEqualTo(app.httpUrl());
		if (keyId != null) {
			assertThat(found.get("keyId").asString()).isEqualTo(keyId);
		}
		else {
			assertThat(found.get("keyId").asString()).isNotEmpty();
		}
		JsonNode kite = found.get("kite");
		List<String> path = List.of("username", "environment", "name", "version", "region", "hostname", "id")
			.stream()
			.map((field) -> kite.get(field).asString())
			.toList();
		// The identity the app reported at startup, this start's id included.
		assertThat("/" + String.join("/", path)).isEqualTo(app.kitePath());
		String token = found.get("token").asString();
		JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
		assertThat(claims.getIssuer()).isEqualTo(kontrolUser);
		assertThat(claims.getSubject()).isEqualTo(requester);
		assertThat(claims.getAudience())
			.containsExactly("/" + SampleApp.USERNAME + "/" + SampleApp.ENVIRONMENT + "/" + SampleApp.NAME);

		assertThat(result(run, "getKitesNobody").toString()).isEqualTo("{\"kites\":[]}");
		assertThat(result(run, "connectFound").asBoolean()).isTrue();
		assertThat(result(run, "squareAuthWithToken").asDouble()).isEqualTo(9.0);
		assertThat(result(run, "squareWithToken").asDouble()).isEqualTo(16.0);

		if (mode.equals("sockjs")) {
			// kite.js's Kontrol helper: fetchKites turns each result into a Kite with
			// token auth.
			JsonNode helperKites = result(run, "helperFetchKites");
			assertThat(helperKites.size()).as(run.describe()).isEqualTo(1);
			JsonNode helperKite = helperKites.get(0);
			assertThat(helperKite.get("url").asString()).isEqualTo(app.httpUrl());
			assertThat(helperKite.get("auth").get("type").asString()).isEqualTo("token");
			// Kontrol caches tokens per audience, subject, issuer and key (PROTOCOL
			// §6.4).
			assertThat(helperKite.get("auth").get("key").asString()).isEqualTo(token);
			assertThat(result(run, "helperConnect").asBoolean()).isTrue();
			assertThat(result(run, "helperSquareAuth").asDouble()).isEqualTo(9.0);
			assertThat(result(run, "helperFetchKitesNobody").asInt()).isZero();
			// kite.js 1.0.13 bug: fetchKite cannot build its "No kite found" error (its
			// getPath import is undefined), so an empty result surfaces as a TypeError.
			JsonNode notFound = run.check("helperFetchKiteNobody");
			assertThat(notFound.get("outcome").asString()).as(run.describe()).isEqualTo("error");
			assertThat(notFound.get("error").get("name").asString()).isEqualTo("TypeError");
			assertThat(notFound.get("error").get("message").asString()).contains("is not a function");
		}
		else {
			assertThat(run.checks()).doesNotContainKey("helperFetchKites");
		}
	}

	private static JsonNode result(NodeScript.Result run, String check) {
		JsonNode line = run.check(check);
		assertThat(line.get("outcome").asString()).as(check + "\n" + run.describe()).isEqualTo("result");
		return line.get("value");
	}

}
