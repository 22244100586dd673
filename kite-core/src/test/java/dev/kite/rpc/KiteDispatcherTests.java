package dev.kite.rpc;

import dev.kite.rpc.DefaultKiteExceptionResolver;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteInvocation;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodHandler;
import dev.kite.rpc.KiteMethodInterceptor;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteSession;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeModule;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteError;
import dev.kite.protocol.KiteException;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class KiteDispatcherTests {

	private static final String KITE = "{\"name\":\"cli\",\"username\":\"alice\",\"id\":\"c1\",\"environment\":\"e\","
			+ "\"region\":\"r\",\"version\":\"1.0.0\",\"hostname\":\"h\"}";

	private final JsonMapper mapper = JsonMapper.builder().addModule(new DnodeModule()).build();

	private final List<String> sent = new CopyOnWriteArrayList<>();

	private final KiteSession session = new KiteSession("s1", new DnodeConnection(this.mapper, this.sent::add), false,
			Runnable::run);

	private final KiteMethodRegistry registry = new KiteMethodRegistry();

	private final List<String> log = new CopyOnWriteArrayList<>();

	private KiteDispatcher dispatcher(Executor executor, AuthenticationProvider... providers) {
		return new KiteDispatcher(this.registry, new KiteAuthenticationManager(List.of(providers)), List.of(),
				List.of(new KiteMethodInterceptor() {
					@Override
					public void beforeInvocation(KiteInvocation invocation) {
						KiteDispatcherTests.this.log.add("before " + invocation.request().method());
					}

					@Override
					public void afterCompletion(KiteInvocation invocation, Object result, Throwable failure) {
						KiteDispatcherTests.this.log.add("after " + result + " " + failure);
					}
				}), executor, true);
	}

	private KiteDispatcher dispatcher() {
		return dispatcher(Runnable::run);
	}

	private static String call(String method, String withArgs) {
		return "{\"method\":\"" + method + "\",\"arguments\":[{\"kite\":" + KITE + ",\"authentication\":null,"
				+ "\"responseCallback\":\"[Function]\",\"withArgs\":" + withArgs
				+ "}],\"callbacks\":{\"0\":[0,\"responseCallback\"]}}";
	}

	private void open(String name, KiteMethodHandler handler) {
		this.registry.register(new KiteMethodDefinition(name, handler, false, "test " + name));
	}

	private JsonNode onlyReply() {
		assertThat(this.sent).hasSize(1);
		JsonNode reply = this.mapper.readTree(this.sent.get(0));
		assertThat(reply.get("method").intValue()).isZero();
		assertThat(reply.get("arguments")).hasSize(1);
		return reply.get("arguments").get(0);
	}

	@Test
	void answersOnceWithErrorAndResult() {
		open("square", (invocation) -> invocation.argument(0).doubleValue() * invocation.argument(0).doubleValue());
		dispatcher().dispatch(this.session, call("square", "[4]"));
		assertThat(this.sent)
			.containsExactly("{\"method\":0,\"arguments\":[{\"error\":null,\"result\":16}],\"callbacks\":{}}");
		assertThat(this.log).containsExactly("before square", "after 16.0 null");
	}

	@Test
	void unknownMethodAnswersMethodNotFoundWithoutRequestId() {
		dispatcher().dispatch(this.session, call("nope", "[]"));
		assertThat(onlyReply().toString()).isEqualTo(
				"{\"error\":{\"type\":\"methodNotFound\",\"message\":\"Method not found: nope\",\"code\":\"\",\"id\":\"\"},\"result\":null}");
	}

	@Test
	void unknownMethodWithoutResponseCallbackIsDropped() {
		dispatcher().dispatch(this.session, "{\"method\":\"nope\",\"arguments\":[{}]}");
		assertThat(this.sent).isEmpty();
	}

	@Test
	void nullOrMissingWithArgsIsEmptyAndScalarIsWrapped() {
		open("count", (invocation) -> invocation.arguments().size());
		dispatcher().dispatch(this.session, call("count", "null"));
		dispatcher().dispatch(this.session,
				"{\"method\":\"count\",\"arguments\":[{\"responseCallback\":\"[Function]\"}],"
						+ "\"callbacks\":{\"1\":[0,\"responseCallback\"]}}");
		dispatcher().dispatch(this.session, call("count", "4"));
		assertThat(this.sent).containsExactly(
				"{\"method\":0,\"arguments\":[{\"error\":null,\"result\":0}],\"callbacks\":{}}",
				"{\"method\":1,\"arguments\":[{\"error\":null,\"result\":0}],\"callbacks\":{}}",
				"{\"method\":0,\"arguments\":[{\"error\":null,\"result\":1}],\"callbacks\":{}}");
	}

	@Test
	void malformedEnvelopesGetArgumentErrorsWithRequestIds() {
		open("m", (invocation) -> "ran");
		List<String> bad = List.of(
				"{\"method\":\"m\",\"arguments\":[{\"responseCallback\":\"[Function]\"},2],\"callbacks\":{\"0\":[0,\"responseCallback\"]}}",
				"{\"method\":\"m\",\"arguments\":[{\"kite\":\"me\",\"responseCallback\":\"[Function]\"}],\"callbacks\":{\"0\":[0,\"responseCallback\"]}}",
				"{\"method\":\"m\",\"arguments\":[{\"authentication\":[1],\"responseCallback\":\"[Function]\"}],\"callbacks\":{\"0\":[0,\"responseCallback\"]}}");
		for (String message : bad) {
			this.sent.clear();
			dispatcher().dispatch(this.session, message);
			JsonNode error = onlyReply().get("error");
			assertThat(error.get("type").stringValue()).as(message).isEqualTo("argumentError");
			assertThat(error.get("message").stringValue()).startsWith("Invalid envelope");
			assertThat(error.get("id").stringValue()).matches("[0-9a-f]{16}");
		}
	}

	@Test
	void envelopeThatIsNotAnObjectIsDroppedWithoutReply() {
		open("m", (invocation) -> "ran");
		dispatcher().dispatch(this.session,
				"{\"method\":\"m\",\"arguments\":[\"[Function]\"],\"callbacks\":{\"0\":[0]}}");
		dispatcher().dispatch(this.session, "{\"method\":\"m\",\"arguments\":[]}");
		assertThat(this.sent).isEmpty();
		assertThat(this.log).isEmpty();
	}

	@Test
	void framesThatAreNotDnodeMessagesAreDropped() {
		open("m", (invocation) -> "ran");
		for (String bad : List.of("garbage", "[]", "{\"method\":\"m\",\"arguments\":5}",
				"{\"method\":99,\"arguments\":[]}")) {
			dispatcher().dispatch(this.session, bad);
		}
		assertThat(this.sent).isEmpty();
		dispatcher().dispatch(this.session, call("m", "[]"));
		assertThat(onlyReply().get("result").stringValue()).isEqualTo("ran");
	}

	@Test
	void authenticatedMethodRefusesMissingAndUnknownAuthentication() {
		this.registry.register(new KiteMethodDefinition("secret", (invocation) -> "x", true, "test"));
		dispatcher().dispatch(this.session, call("secret", "[]"));
		dispatcher().dispatch(this.session, call("secret", "[]").replace("\"authentication\":null",
				"\"authentication\":{\"type\":\"sessionID\",\"key\":\"abc\"}"));
		JsonNode first = this.mapper.readTree(this.sent.get(0)).get("arguments").get(0).get("error");
		JsonNode second = this.mapper.readTree(this.sent.get(1)).get("arguments").get(0).get("error");
		assertThat(first.get("type").stringValue()).isEqualTo("authenticationError");
		assertThat(first.get("message").stringValue()).isEqualTo("No authentication information is provided");
		assertThat(second.get("type").stringValue()).isEqualTo("authenticationError");
		assertThat(second.get("message").stringValue()).isEqualTo("Unknown authentication type: sessionID");
		assertThat(this.log).isEmpty();
	}

	@Test
	void verifiedUsernameReplacesClaimedOneAndSecurityContextIsSetThenCleared() {
		AuthenticationProvider provider = new AuthenticationProvider() {
			@Override
			public Authentication authenticate(Authentication authentication) {
				KiteAuthenticationToken token = (KiteAuthenticationToken) authentication;
				if (!"sessionID".equals(token.getAuthType())) {
					return null;
				}
				if (!"good".equals(token.getCredentials())) {
					throw new BadCredentialsException("session is unknown");
				}
				return KiteAuthenticationToken.authenticated("sessionID", "good", token.getCaller(), "bob", List.of());
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return KiteAuthenticationToken.class.isAssignableFrom(authentication);
			}
		};
		this.registry.register(new KiteMethodDefinition("whoami",
				(invocation) -> invocation.request().username() + "/"
						+ SecurityContextHolder.getContext().getAuthentication().getName() + "/"
						+ invocation.request().authType(),
				true, "test"));
		KiteDispatcher dispatcher = dispatcher(Runnable::run, provider);
		dispatcher.dispatch(this.session, call("whoami", "[]").replace("\"authentication\":null",
				"\"authentication\":{\"type\":\"sessionID\",\"key\":\"bad\"}"));
		dispatcher.dispatch(this.session, call("whoami", "[]").replace("\"authentication\":null",
				"\"authentication\":{\"type\":\"sessionID\",\"key\":\"good\"}"));
		JsonNode refused = this.mapper.readTree(this.sent.get(0)).get("arguments").get(0).get("error");
		assertThat(refused.get("message").stringValue()).isEqualTo("sessionID: session is unknown");
		JsonNode accepted = this.mapper.readTree(this.sent.get(1)).get("arguments").get(0);
		assertThat(accepted.get("result").stringValue()).isEqualTo("bob/bob/sessionID");
		assertThat(this.session.caller().username()).isEqualTo("bob");
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
	}

	@Test
	void theCallerStaysOneInstanceWhileTheVerifiedUsernameIsUnchanged() {
		AuthenticationProvider provider = new AuthenticationProvider() {
			@Override
			public Authentication authenticate(Authentication authentication) {
				KiteAuthenticationToken token = (KiteAuthenticationToken) authentication;
				return KiteAuthenticationToken.authenticated("sessionID", "good", token.getCaller(), "bob", List.of());
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return KiteAuthenticationToken.class.isAssignableFrom(authentication);
			}
		};
		this.registry.register(
				new KiteMethodDefinition("whoami", (invocation) -> invocation.request().username(), true, "test"));
		KiteDispatcher dispatcher = dispatcher(Runnable::run, provider);
		String request = call("whoami", "[]").replace("\"authentication\":null",
				"\"authentication\":{\"type\":\"sessionID\",\"key\":\"good\"}");
		dispatcher.dispatch(this.session, request);
		Kite verified = this.session.caller();
		dispatcher.dispatch(this.session, request);
		assertThat(verified.username()).isEqualTo("bob");
		assertThat(this.session.caller()).isSameAs(verified);
		assertThat(this.sent).hasSize(2)
			.allSatisfy((answer) -> assertThat(answer).contains("\"error\":null,\"result\":\"bob\""));
	}

	@Test
	void trustedSessionsSkipAuthentication() {
		KiteSession dialed = new KiteSession("d", new DnodeConnection(this.mapper, this.sent::add), true,
				Runnable::run);
		this.registry.register(new KiteMethodDefinition("secret", (invocation) -> "x", true, "test"));
		dispatcher().dispatch(dialed, call("secret", "[]"));
		assertThat(onlyReply().get("result").stringValue()).isEqualTo("x");
	}

	@Test
	void kiteExceptionsReachTheCallerAsThrown() {
		open("fail", (invocation) -> {
			throw new KiteException("notFound", "No such key", "404");
		});
		dispatcher().dispatch(this.session, call("fail", "[]"));
		JsonNode error = onlyReply().get("error");
		assertThat(error.get("type").stringValue()).isEqualTo("notFound");
		assertThat(error.get("message").stringValue()).isEqualTo("No such key");
		assertThat(error.get("code").stringValue()).isEqualTo("404");
		assertThat(error.get("id").stringValue()).matches("[0-9a-f]{16}");
	}

	@Test
	void otherExceptionsAreGenericAndNeverLeakTheirText() {
		open("boom", (invocation) -> {
			throw new IllegalStateException("password=hunter2 at db.internal:5432");
		});
		dispatcher().dispatch(this.session, call("boom", "[]"));
		JsonNode error = onlyReply().get("error");
		String id = error.get("id").stringValue();
		assertThat(error.get("type").stringValue()).isEqualTo("genericError");
		assertThat(error.get("message").stringValue()).isEqualTo(DefaultKiteExceptionResolver.internalErrorMessage(id));
		assertThat(this.sent.get(0)).doesNotContain("hunter2").doesNotContain("IllegalState");
	}

	@Test
	void unserializableResultsBecomeGenericErrors() {
		open("weird", (invocation) -> new Unwritable("x"));
		dispatcher().dispatch(this.session, call("weird", "[]"));
		assertThat(onlyReply().get("error").get("type").stringValue()).isEqualTo("genericError");
	}

	record Unwritable(String value) {
		@Override
		public String value() {
			throw new IllegalStateException("cannot be read");
		}
	}

	@Test
	void asyncResultsAnswerWhenTheyComplete() {
		CompletableFuture<String> later = new CompletableFuture<>();
		open("later", (invocation) -> later);
		CompletableFuture<String> failing = new CompletableFuture<>();
		open("failing", (invocation) -> failing);
		dispatcher().dispatch(this.session, call("later", "[]"));
		dispatcher().dispatch(this.session, call("failing", "[]"));
		assertThat(this.sent).isEmpty();
		later.complete("done");
		failing.completeExceptionally(new KiteException("busy", "Try later"));
		assertThat(this.sent).containsExactly(
				"{\"method\":0,\"arguments\":[{\"error\":null,\"result\":\"done\"}],\"callbacks\":{}}",
				this.sent.get(1));
		assertThat(
				this.mapper.readTree(this.sent.get(1)).get("arguments").get(0).get("error").get("type").stringValue())
			.isEqualTo("busy");
	}

	@Test
	void customResolversComeFirst() {
		open("boom", (invocation) -> {
			throw new UnsupportedOperationException();
		});
		KiteDispatcher dispatcher = new KiteDispatcher(this.registry, new KiteAuthenticationManager(List.of()),
				List.of((failure, request) -> (failure instanceof UnsupportedOperationException)
						? KiteError.of("unsupported", "Not here") : null),
				List.of(), Runnable::run, true);
		dispatcher.dispatch(this.session, call("boom", "[]"));
		assertThat(onlyReply().get("error").get("type").stringValue()).isEqualTo("unsupported");
	}

	@Test
	void saturatedExecutorAnswersRequestLimitError() {
		open("m", (invocation) -> "ran");
		dispatcher((task) -> {
			throw new RejectedExecutionException("full");
		}).dispatch(this.session, call("m", "[]"));
		assertThat(onlyReply().get("error").get("type").stringValue()).isEqualTo("requestLimitError");
	}

	@Test
	void callbackInvocationsRunInOrderAndUnknownIdsAreIgnored() {
		List<Integer> seen = new CopyOnWriteArrayList<>();
		this.session.connection().encode("m", (dev.kite.dnode.KiteCallback) (args) -> seen.add(args[0].intValue()));
		KiteDispatcher dispatcher = dispatcher();
		for (int i = 0; i < 5; i++) {
			dispatcher.dispatch(this.session, "{\"method\":0,\"arguments\":[" + i + "]}");
		}
		dispatcher.dispatch(this.session, "{\"method\":42,\"arguments\":[1]}");
		assertThat(seen).containsExactly(0, 1, 2, 3, 4);
		assertThat(this.sent).isEmpty();
	}

	@Test
	void firstRequestFixesTheCallersIdentity() {
		open("m", (invocation) -> invocation.request().caller().name());
		dispatcher().dispatch(this.session, call("m", "[]"));
		dispatcher().dispatch(this.session, call("m", "[]").replace("\"name\":\"cli\"", "\"name\":\"other\""));
		assertThat(this.sent).allMatch((reply) -> reply.contains("\"result\":\"cli\""));
	}

}
