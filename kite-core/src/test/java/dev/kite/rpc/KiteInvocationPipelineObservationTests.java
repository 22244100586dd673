package dev.kite.rpc;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kite.auth.KiteAuthenticationToken;
import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeModule;
import dev.kite.dnode.RemoteCallback;
import dev.kite.observation.DefaultKiteServerObservationConvention;
import dev.kite.observation.KiteServerObservationConvention;
import dev.kite.observation.KiteServerRequestObservationContext;
import dev.kite.protocol.Auth;
import dev.kite.protocol.CallResponse;
import dev.kite.protocol.KiteException;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import tools.jackson.databind.json.JsonMapper;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code kite.server.requests} observation of {@link KiteInvocationPipeline}.
 */
class KiteInvocationPipelineObservationTests {

	private final JsonMapper mapper = JsonMapper.builder().addModule(new DnodeModule()).build();

	private final KiteSession session = new KiteSession("s1", new DnodeConnection(this.mapper, (text) -> {
	}), false, Runnable::run);

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final List<CallResponse> responses = new CopyOnWriteArrayList<>();

	private final AuthenticationManager authenticationManager = (authentication) -> {
		throw new BadCredentialsException("token: bad key");
	};

	private KiteInvocationPipeline pipeline(ObservationRegistry registry,
			@Nullable KiteServerObservationConvention convention) {
		return new KiteInvocationPipeline(this.authenticationManager, List.of(),
				new CompositeKiteExceptionResolver(List.of()), true, new PeerWarnings(Clock.systemUTC(), 10), registry,
				convention);
	}

	private void run(KiteInvocationPipeline pipeline, KiteMethodDefinition method, @Nullable Auth auth) {
		pipeline.run(this.session, method, "0123456789abcdef",
				new KiteEnvelope(null, auth, this.mapper.createArrayNode().add(4)), new Responder());
	}

	@Test
	void aSuccessfulCallIsObservedWithMethodOutcomeAndNoErrorType() {
		run(pipeline(this.registry, null), new KiteMethodDefinition("square", (invocation) -> 16, false, "test"), null);
		assertThat(this.responses).singleElement().extracting(CallResponse::result).isEqualTo(16);
		assertThat(this.registry).hasSingleObservationThat()
			.hasNameEqualTo(DefaultKiteServerObservationConvention.NAME)
			.hasContextualNameEqualTo("kite square")
			.hasLowCardinalityKeyValue("method", "square")
			.hasLowCardinalityKeyValue("outcome", "SUCCESS")
			.hasLowCardinalityKeyValue("error.type", "none")
			.hasHighCardinalityKeyValue("request.id", "0123456789abcdef")
			.hasBeenStopped();
	}

	@Test
	void aKiteErrorIsObservedWithItsErrorType() {
		run(pipeline(this.registry, null), new KiteMethodDefinition("square", (invocation) -> {
			throw new KiteException("argumentError", "not a number");
		}, false, "test"), null);
		assertThat(this.registry).hasSingleObservationThat()
			.hasLowCardinalityKeyValue("outcome", "ERROR")
			.hasLowCardinalityKeyValue("error.type", "argumentError")
			.assertThatError()
			.isInstanceOf(KiteException.class);
	}

	@Test
	void aFailedAuthenticationIsObservedToo() {
		run(pipeline(this.registry, null), new KiteMethodDefinition("square", (invocation) -> 16, true, "test"),
				new Auth("token", "bad"));
		assertThat(this.registry).hasSingleObservationThat()
			.hasLowCardinalityKeyValue("error.type", "authenticationError")
			.hasBeenStopped();
	}

	@Test
	void anAsynchronousResultStopsTheObservationWhenItCompletes() {
		CompletableFuture<Integer> later = new CompletableFuture<>();
		run(pipeline(this.registry, null), new KiteMethodDefinition("square", (invocation) -> later, false, "test"),
				null);
		assertThat(this.registry).hasSingleObservationThat().hasBeenStarted().isNotStopped();
		later.complete(16);
		assertThat(this.registry).hasSingleObservationThat()
			.hasLowCardinalityKeyValue("outcome", "SUCCESS")
			.hasBeenStopped();
	}

	@Test
	void aCustomConventionReplacesTheDefault() {
		KiteServerObservationConvention custom = new DefaultKiteServerObservationConvention() {
			@Override
			public KeyValues getLowCardinalityKeyValues(KiteServerRequestObservationContext context) {
				return super.getLowCardinalityKeyValues(context).and("team", "math");
			}
		};
		run(pipeline(this.registry, custom), new KiteMethodDefinition("square", (invocation) -> 16, false, "test"),
				null);
		assertThat(this.registry).hasSingleObservationThat().hasLowCardinalityKeyValue("team", "math");
	}

	@Test
	void withoutARegistryTheCallIsServedUnobserved() {
		run(pipeline(ObservationRegistry.NOOP, null),
				new KiteMethodDefinition("square", (invocation) -> 16, false, "test"), null);
		assertThat(this.responses).singleElement().extracting(CallResponse::result).isEqualTo(16);
	}

	private final class Responder implements RemoteCallback {

		@Override
		public void call(@Nullable Object... arguments) {
			KiteInvocationPipelineObservationTests.this.responses.add((CallResponse) arguments[0]);
		}

		@Override
		public long id() {
			return 1;
		}

		@Override
		public boolean isOpen() {
			return true;
		}

	}

}
