package dev.kite.rpc;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeModule;
import dev.kite.dnode.RemoteCallback;
import dev.kite.protocol.Auth;
import dev.kite.protocol.CallResponse;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteError;
import dev.kite.protocol.KiteException;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContextHolder;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class KiteInvocationPipelineTests {

	private final JsonMapper mapper = JsonMapper.builder().addModule(new DnodeModule()).build();

	private final KiteSession session = new KiteSession("s1", new DnodeConnection(this.mapper, (text) -> {
	}), false, Runnable::run);

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final Responder responder = new Responder();

	private final AuthenticationManager authenticationManager = (authentication) -> {
		KiteAuthenticationToken token = (KiteAuthenticationToken) authentication;
		if (!"good".equals(token.getCredentials())) {
			throw new BadCredentialsException("token: bad key");
		}
		return KiteAuthenticationToken.authenticated(token.getAuthType(), "good", token.getCaller(), "bob", List.of());
	};

	private KiteInvocationPipeline pipeline(KiteMethodInterceptor... interceptors) {
		return new KiteInvocationPipeline(this.authenticationManager, List.of(interceptors),
				new CompositeKiteExceptionResolver(List.of((failure, request) -> {
					this.events.add("resolve " + failure.getClass().getSimpleName());
					return null;
				})), true, new PeerWarnings(Clock.systemUTC(), 10), ObservationRegistry.NOOP, null);
	}

	private KiteInvocationPipeline pipeline() {
		return pipeline(new Recording("a"), new Recording("b"));
	}

	private static KiteEnvelope envelope(@Nullable Auth auth) {
		return new KiteEnvelope(null, auth, JsonMapper.builder().build().createArrayNode().add(4));
	}

	private void run(KiteInvocationPipeline pipeline, KiteMethodDefinition method, @Nullable Auth auth) {
		pipeline.run(this.session, method, "0123456789abcdef", envelope(auth), this.responder);
	}

	private KiteMethodDefinition method(boolean authenticated, KiteMethodHandler handler) {
		return new KiteMethodDefinition("m", handler, authenticated, "test");
	}

	@Test
	void interceptorsWrapTheHandlerAndTheReplyComesLast() {
		run(pipeline(), method(false, (invocation) -> {
			this.events.add("handle " + invocation.argument(0));
			return "ok";
		}), null);
		assertThat(this.events).containsExactly("a before", "b before", "handle 4", "b after ok null",
				"a after ok null", "reply ok");
	}

	@Test
	void onlyInterceptorsThatWereEnteredSeeTheCompletion() {
		KiteMethodInterceptor refusing = new KiteMethodInterceptor() {
			@Override
			public void beforeInvocation(KiteInvocation invocation) {
				throw new KiteException("accessDenied", "Not you");
			}
		};
		run(pipeline(new Recording("a"), refusing, new Recording("c")), method(false, (invocation) -> {
			this.events.add("handle");
			return "never";
		}), null);
		assertThat(this.events).containsExactly("a before", "a after null KiteException", "resolve KiteException",
				"reply error accessDenied");
	}

	@Test
	void failedAuthenticationSkipsInterceptorsAndHandler() {
		run(pipeline(), method(true, (invocation) -> "never"), new Auth("token", "bad"));
		assertThat(this.events).containsExactly("resolve BadCredentialsException", "reply error authenticationError");
		assertThat(this.responder.responses.get(0).error().message()).isEqualTo("token: bad key");
		assertThat(this.responder.responses.get(0).error().id()).isEqualTo("0123456789abcdef");
	}

	@Test
	void verifiedAuthenticationIsInTheSecurityContextOnlyWhileTheHandlerRuns() {
		run(pipeline(),
				method(true,
						(invocation) -> SecurityContextHolder.getContext().getAuthentication().getName() + "/"
								+ invocation.request().username() + "/" + invocation.request().authType()),
				new Auth("token", "good"));
		assertThat(this.responder.responses.get(0).result()).isEqualTo("bob/bob/token");
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
	}

	@Test
	void asyncCompletionRestoresTheAuthenticationAndAnswersOnce() {
		CompletableFuture<String> later = new CompletableFuture<>();
		List<String> seenInCompletion = new CopyOnWriteArrayList<>();
		KiteMethodInterceptor observer = new KiteMethodInterceptor() {
			@Override
			public void afterCompletion(KiteInvocation invocation, @Nullable Object result,
					@Nullable Throwable failure) {
				seenInCompletion.add(SecurityContextHolder.getContext().getAuthentication().getName());
			}
		};
		run(pipeline(observer), method(true, (invocation) -> later), new Auth("token", "good"));
		assertThat(this.responder.responses).isEmpty();
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
		later.complete("done");
		assertThat(seenInCompletion).containsExactly("bob");
		assertThat(this.responder.responses).singleElement().extracting(CallResponse::result).isEqualTo("done");
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
	}

	@Test
	void wrappersAreUnwrappedBeforeInterceptorsAndResolversSeeTheFailure() {
		run(pipeline(), method(false, (invocation) -> CompletableFuture
			.failedFuture(new CompletionException(new KiteException("busy", "Try later")))), null);
		assertThat(this.events).containsExactly("a before", "b before", "b after null KiteException",
				"a after null KiteException", "resolve KiteException", "reply error busy");
	}

	@Test
	void aFailingInterceptorCompletionDoesNotStopTheReply() {
		KiteMethodInterceptor failing = new KiteMethodInterceptor() {
			@Override
			public void afterCompletion(KiteInvocation invocation, @Nullable Object result,
					@Nullable Throwable failure) {
				throw new IllegalStateException("broken interceptor");
			}
		};
		run(pipeline(failing), method(false, (invocation) -> "ok"), null);
		assertThat(this.responder.responses).singleElement().extracting(CallResponse::result).isEqualTo("ok");
	}

	@Test
	void unexpectedFailuresAreGenericErrorsWithTheRequestId() {
		run(pipeline(), method(false, (invocation) -> {
			throw new IllegalStateException("password=hunter2");
		}), null);
		KiteError error = this.responder.responses.get(0).error();
		assertThat(error.type()).isEqualTo("genericError");
		assertThat(error.id()).isEqualTo("0123456789abcdef");
		assertThat(error.message()).doesNotContain("hunter2");
	}

	private final class Recording implements KiteMethodInterceptor {

		private final String name;

		Recording(String name) {
			this.name = name;
		}

		@Override
		public void beforeInvocation(KiteInvocation invocation) {
			KiteInvocationPipelineTests.this.events.add(this.name + " before");
		}

		@Override
		public void afterCompletion(KiteInvocation invocation, @Nullable Object result, @Nullable Throwable failure) {
			KiteInvocationPipelineTests.this.events.add(this.name + " after " + result + " "
					+ ((failure != null) ? failure.getClass().getSimpleName() : null));
		}

	}

	private final class Responder implements RemoteCallback {

		final List<CallResponse> responses = new CopyOnWriteArrayList<>();

		@Override
		public void call(@Nullable Object... arguments) {
			CallResponse response = (CallResponse) arguments[0];
			this.responses.add(response);
			KiteInvocationPipelineTests.this.events.add((response.error() != null)
					? "reply error " + response.error().type() : "reply " + response.result());
		}

		@Override
		public long id() {
			return 0;
		}

		@Override
		public boolean isOpen() {
			return true;
		}

	}

}
