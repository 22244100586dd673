package dev.kite.rpc;

import java.util.ArrayList;
import java.util.List;

import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteError;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import org.junit.jupiter.api.Test;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;

import static org.assertj.core.api.Assertions.assertThat;

class CompositeKiteExceptionResolverTests {

	private final KiteRequest request = new KiteRequest("m", "alice", null, Kite.unknown(), "0123456789abcdef");

	@Test
	void firstNonNullAnswerWinsInOrder() {
		List<String> asked = new ArrayList<>();
		CompositeKiteExceptionResolver resolver = new CompositeKiteExceptionResolver(List.of((failure, request) -> {
			asked.add("first");
			return null;
		}, (failure, request) -> {
			asked.add("second");
			return KiteError.of("second", "from the second");
		}, (failure, request) -> {
			asked.add("third");
			return KiteError.of("third", "never asked");
		}));
		assertThat(resolver.resolve(new IllegalStateException(), this.request).type()).isEqualTo("second");
		assertThat(asked).containsExactly("first", "second");
	}

	@Test
	void aResolverThatThrowsIsSkipped() {
		CompositeKiteExceptionResolver resolver = new CompositeKiteExceptionResolver(List.of((failure, request) -> {
			throw new IllegalStateException("broken resolver");
		}, (failure, request) -> KiteError.of("next", "the next one answers")));
		assertThat(resolver.resolve(new RuntimeException(), this.request).type()).isEqualTo("next");
	}

	@Test
	void theDefaultsAnswerLast() {
		CompositeKiteExceptionResolver resolver = new CompositeKiteExceptionResolver(
				List.of((failure, request) -> null));
		assertThat(resolver.resolve(new KiteException("notFound", "No such key"), this.request).type())
			.isEqualTo("notFound");
		assertThat(resolver.resolve(new BadCredentialsException("token is expired"), this.request))
			.isEqualTo(KiteError.of(KiteErrorTypes.AUTHENTICATION_ERROR, "token is expired"));
		assertThat(resolver.resolve(new AccessDeniedException("no"), this.request))
			.isEqualTo(KiteError.of(KiteErrorTypes.ACCESS_DENIED, "Access is denied"));
		KiteError generic = resolver.resolve(new IllegalStateException("password=hunter2"), this.request);
		assertThat(generic.type()).isEqualTo(KiteErrorTypes.GENERIC_ERROR);
		assertThat(generic.message()).isEqualTo(DefaultKiteExceptionResolver.internalErrorMessage("0123456789abcdef"))
			.doesNotContain("hunter2");
	}

	@Test
	void withoutResolversTheDefaultsAnswer() {
		assertThat(new CompositeKiteExceptionResolver(List.of())
			.resolve(new KiteException("busy", "Try later"), this.request)
			.type()).isEqualTo("busy");
	}

}
