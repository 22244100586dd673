package dev.kite.interop;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kite.js clients authenticating with Kontrol tokens ({@code auth: {type: 'token', key}})
 * call the authenticated {@code squareAuth}: a token minted for this kite by the Kontrol
 * it trusts is accepted; a token signed by another key, or for another kite, is refused
 * with Go's messages.
 */
@ExtendWith(SampleAppExtension.class)
class KiteJsTokenAuthTest {

	@ParameterizedTest
	@EnumSource(KiteJsTransport.class)
	void tokensAreVerifiedLikeGo(KiteJsTransport transport, SampleApp app) {
		String audience = "/" + SampleApp.USERNAME + "/" + SampleApp.ENVIRONMENT + "/math";
		Map<String, String> tokens = Map.of("KITE_TOKEN_VALID",
				SampleApp.KONTROL.token("alice", audience, Duration.ofHours(1)), "KITE_TOKEN_FORGED",
				new TestKontrol().token("alice", audience, Duration.ofHours(1)), "KITE_TOKEN_OTHER_KITE",
				SampleApp.KONTROL.token("alice", "/" + SampleApp.USERNAME + "/" + SampleApp.ENVIRONMENT + "/billing",
						Duration.ofHours(1)));
		NodeScript.Result run = NodeScript.run(Duration.ofSeconds(60), tokens, "kite-token-checks.js", transport.mode(),
				transport.url(app));
		assertThat(run.exitCode()).as(run.describe()).isZero();

		JsonNode valid = run.check("validToken");
		assertThat(valid.get("outcome").asString()).as(run.describe()).isEqualTo("result");
		assertThat(valid.get("value").asDouble()).isEqualTo(9.0);

		JsonNode forged = run.check("forgedToken");
		assertThat(forged.get("outcome").asString()).as(run.describe()).isEqualTo("error");
		assertThat(forged.get("error").get("type").asString()).isEqualTo("authenticationError");
		assertThat(forged.get("error").get("message").asString()).isEqualTo("token: token is expired");

		JsonNode otherKite = run.check("otherKitesToken");
		assertThat(otherKite.get("error").get("type").asString()).as(run.describe()).isEqualTo("authenticationError");
		assertThat(otherKite.get("error").get("message").asString())
			.isEqualTo("token: audience: kite \"billing\" not allowed (/" + SampleApp.USERNAME + "/"
					+ SampleApp.ENVIRONMENT + "/billing)");
	}

}
