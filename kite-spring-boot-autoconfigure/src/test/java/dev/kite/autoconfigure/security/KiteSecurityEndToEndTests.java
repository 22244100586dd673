package dev.kite.autoconfigure.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kite.annotation.KiteMethod;
import dev.kite.auth.KiteAuthenticator;
import dev.kite.autoconfigure.e2e.WireClients;
import dev.kite.protocol.Kite;
import dev.kite.rpc.KiteInvocation;
import dev.kite.rpc.KiteMethodInterceptor;
import dev.kite.rpc.KiteRequest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kite keys, tokens, custom auth types and {@code @PreAuthorize}, end to end, in an
 * application guarded by Spring Security.
 */
@SpringBootTest(classes = KiteSecurityEndToEndTests.SecuredKite.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "kite.name=math",
				"kite.username=devrim", "kite.environment=production", "kite.kontrol.user=kontrol" })
class KiteSecurityEndToEndTests {

	static final KontrolKeys KONTROL = new KontrolKeys();

	static final KontrolKeys STRANGER = new KontrolKeys();

	static final List<String> seenInAfterCompletion = new CopyOnWriteArrayList<>();

	@DynamicPropertySource
	static void kontrolKey(DynamicPropertyRegistry registry) {
		registry.add("kite.kontrol.key", () -> KONTROL.publicPem);
	}

	@LocalServerPort
	int port;

	private JsonNode call(String method, String type, String key) throws Exception {
		String auth = (type == null) ? "null" : "{\"type\":\"" + type + "\",\"key\":\"" + key + "\"}";
		return WireClients.call(this.port, method, "[]", auth);
	}

	private static Instant inOneHour() {
		return Instant.now().plusSeconds(3600);
	}

	@Test
	void tokenForThisKiteIsAcceptedAndCarriesTheUsername() throws Exception {
		JsonNode reply = call("whoami", "token", KONTROL.token("alice", "/devrim/production/math", inOneHour()));
		assertThat(reply.get("error").isNull()).as(reply.toString()).isTrue();
		assertThat(reply.get("result").stringValue()).isEqualTo("alice/alice/token/[KITE_AUTH_TOKEN]");
	}

	@Test
	void rootAudienceTokensAreAccepted() throws Exception {
		assertThat(call("whoami", "token", KONTROL.token("carol", "/", inOneHour())).get("result").stringValue())
			.startsWith("carol/");
	}

	@Test
	void preAuthorizeAllowsAliceAndRefusesBobWithAccessDenied() throws Exception {
		JsonNode alice = call("aliceOnly", "token", KONTROL.token("alice", "/devrim", inOneHour()));
		assertThat(alice.get("result").stringValue()).isEqualTo("hello alice");
		JsonNode bob = call("aliceOnly", "token", KONTROL.token("bob", "/devrim", inOneHour())).get("error");
		assertThat(bob.get("type").stringValue()).isEqualTo("accessDenied");
		assertThat(bob.get("message").stringValue()).isEqualTo("Access is denied");
	}

	@Test
	void refusedTokensGetGoMessages() throws Exception {
		JsonNode expired = call("whoami", "token",
				KONTROL.token("alice", "/devrim/production/math", Instant.now().minusSeconds(65)))
			.get("error");
		assertThat(expired.get("type").stringValue()).isEqualTo("authenticationError");
		assertThat(expired.get("message").stringValue()).startsWith("token: token is expired by 1m");
		JsonNode forged = call("whoami", "token", STRANGER.token("alice", "/devrim/production/math", inOneHour()))
			.get("error");
		assertThat(forged.get("message").stringValue()).isEqualTo("token: token is expired");
		JsonNode otherKite = call("whoami", "token", KONTROL.token("alice", "/devrim/production/billing", inOneHour()))
			.get("error");
		assertThat(otherKite.get("message").stringValue())
			.isEqualTo("token: audience: kite \"billing\" not allowed (/devrim/production/billing)");
		JsonNode garbage = call("whoami", "token", "not-a-jwt").get("error");
		assertThat(garbage.get("message").stringValue()).startsWith("token: ");
	}

	@Test
	void kiteKeysSignedByTheTrustedKontrolAreAccepted() throws Exception {
		JsonNode reply = call("whoami", "kiteKey", KONTROL.kiteKey("dave"));
		assertThat(reply.get("result").stringValue()).isEqualTo("dave/dave/kiteKey/[KITE_AUTH_KITEKEY]");
		JsonNode untrusted = call("whoami", "kiteKey", STRANGER.kiteKey("dave")).get("error");
		assertThat(untrusted.get("message").stringValue()).isEqualTo("kiteKey: kontrol key is not trusted");
	}

	@Test
	void customAuthTypesAreBeans() throws Exception {
		assertThat(call("whoami", "sessionID", "s-1").get("result").stringValue()).startsWith("erin/erin/sessionID");
		assertThat(call("whoami", "sessionID", "s-2").get("error").get("message").stringValue())
			.isEqualTo("sessionID: session expired");
		assertThat(call("whoami", "magic", "x").get("error").get("message").stringValue())
			.isEqualTo("Unknown authentication type: magic");
	}

	@Test
	void securityContextIsSetForAsyncCompletionAndClearedAfterwards() throws Exception {
		JsonNode reply = call("asyncWho", "token", KONTROL.token("frank", "/devrim", inOneHour()));
		assertThat(reply.get("result").stringValue()).isEqualTo("frank");
		assertThat(seenInAfterCompletion).contains("asyncWho:frank");
	}

	@Test
	void springSecurityLetsKitePeersInAndKeepsGuardingTheRest() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<String> info = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/kite/info")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(info.statusCode()).isEqualTo(200);
		HttpResponse<String> xhr = http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/kite/000/sec1/xhr"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(xhr.body()).isEqualTo("o\n");
		HttpResponse<String> other = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/private")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(other.statusCode()).isEqualTo(401);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableMethodSecurity
	@Import(Methods.class)
	static class SecuredKite {

		@Bean
		KiteAuthenticator sessionIdAuthenticator() {
			return new KiteAuthenticator() {
				@Override
				public String authType() {
					return "sessionID";
				}

				@Override
				public String authenticate(String key, Kite caller) {
					if (!"s-1".equals(key)) {
						throw new BadCredentialsException("session expired");
					}
					return "erin";
				}
			};
		}

		@Bean
		KiteMethodInterceptor recordingInterceptor() {
			return new KiteMethodInterceptor() {
				@Override
				public void afterCompletion(KiteInvocation invocation, Object result, Throwable failure) {
					Authentication current = SecurityContextHolder.getContext().getAuthentication();
					seenInAfterCompletion
						.add(invocation.request().method() + ":" + ((current != null) ? current.getName() : "none"));
				}
			};
		}

	}

	@Component
	static class Methods {

		@KiteMethod("whoami")
		public String whoami(KiteRequest request, Authentication authentication) {
			return request.username() + "/" + SecurityContextHolder.getContext().getAuthentication().getName() + "/"
					+ request.authType() + "/" + authentication.getAuthorities();
		}

		@KiteMethod("aliceOnly")
		@PreAuthorize("authentication.name == 'alice'")
		public String aliceOnly(Authentication authentication) {
			return "hello " + authentication.getName();
		}

		@KiteMethod("asyncWho")
		public CompletionStage<String> asyncWho(Authentication authentication) {
			return CompletableFuture.supplyAsync(authentication::getName);
		}

	}

}
