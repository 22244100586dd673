package dev.kite.test.tester;

import java.time.Duration;
import java.util.List;

import dev.kite.client.Transport;
import dev.kite.protocol.Auth;
import dev.kite.test.app.TestKiteApplication;
import dev.kite.test.autoconfigure.AutoConfigureEmbeddedKontrol;
import dev.kite.test.autoconfigure.AutoConfigureKiteTester;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.ParameterizedTypeReference;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.StringNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link KiteTester} against a running kite: every assertion passes on the right answer
 * and fails on a wrong expectation.
 */
@SpringBootTest(classes = TestKiteApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureKiteTester
@AutoConfigureEmbeddedKontrol
class KiteTesterTests {

	@Autowired
	KiteTester tester;

	@Test
	void resultIsAsserted() {
		this.tester.call("square", 4).result(Double.class).isEqualTo(16.0);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.tester.call("square", 4).result(Double.class).isEqualTo(15.0))
			.withMessageContaining("result of \"square\"")
			.withMessageContaining("16.0");
	}

	@Test
	void jsonResultIsAsserted() {
		this.tester.call("echo", "hi").result().isEqualTo(StringNode.valueOf("hi"));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.tester.call("echo", "hi").result().isEqualTo(StringNode.valueOf("ho")));
	}

	@Test
	void genericResultIsAsserted() {
		this.tester.call("letters", "abc").result(new ParameterizedTypeReference<List<String>>() {
		}).isEqualTo(List.of("a", "b", "c"));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.tester.call("letters", "abc").result(new ParameterizedTypeReference<List<String>>() {
			}).isEqualTo(List.of("a", "b")));
	}

	@Test
	void valueReadsTheResult() {
		assertThat(this.tester.call("square", 5).value(Double.class)).isEqualTo(25.0);
	}

	@Test
	void resultThatDoesNotReadAsTheTypeFails() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.tester.call("echo", "text").result(Integer.class))
			.withMessageContaining("does not read as");
	}

	@Test
	void resultOfAFailedCallFails() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.tester.call("fail").result())
			.withMessageContaining("Expected a result of \"fail\"")
			.withMessageContaining("notFound: nothing here");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.tester.call("fail").result(Double.class));
	}

	@Test
	void errorOfASuccessfulCallFails() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.tester.call("square", 2).error())
			.withMessageContaining("Expected \"square\" to fail")
			.withMessageContaining("answered 4");
	}

	@Test
	void errorIsAsserted() {
		this.tester.call("fail")
			.error()
			.hasType("notFound")
			.hasMessage("nothing here")
			.messageContains("thing")
			.hasCode("E42");
		this.tester.call("fail").error().message().startsWith("nothing");
		KiteTester.Call call = this.tester.call("fail");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> call.error().hasType("genericError"))
			.withMessageContaining("<genericError>")
			.withMessageContaining("<notFound>");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> call.error().hasMessage("nothing"));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> call.error().messageContains("something"));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> call.error().hasCode("E43"));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> call.error().message().endsWith("there"));
	}

	@Test
	void unknownMethodIsAnError() {
		this.tester.call("nope").error().hasType("methodNotFound");
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void everyTransportReachesTheKite(Transport transport) {
		KiteTester over = this.tester.transport(transport);
		over.call("square", 3).result(Double.class).isEqualTo(9.0);
		assertThat(over.connection().options().transport()).isEqualTo(transport);
		assertThat(over.connection().isConnected()).isTrue();
	}

	@Test
	void callbackInvocationsAreRecorded() {
		RecordingKiteCallback callback = KiteTester.callback();
		this.tester.call("twice", 3, callback).result().isEqualTo(NullNode.getInstance());
		callback.awaitCalls(2).argument(0, 0, Double.class).isEqualTo(3.0);
		callback.argument(1, 0, Double.class).isEqualTo(6.0);
		assertThat(callback.invocations()).hasSize(2);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> callback.argument(1, 0, Double.class).isEqualTo(7.0))
			.withMessageContaining("argument #0 of callback invocation #1");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> callback.argument(2, 0, Double.class));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> callback.argument(0, 1, Double.class));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> callback.argument(0, 0, List.class));
		// Zero: checks what has arrived without waiting.
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> callback.awaitCalls(3, Duration.ZERO))
			.withMessageContaining("Expected at least 3 invocation(s)")
			.withMessageContaining("got 2");
	}

	@Test
	void sendsTheApplicationsKiteKeyByDefault() {
		assertThat(this.tester.auth()).extracting(Auth::type).isEqualTo(Auth.KITE_KEY);
		this.tester.call("whoami").result(String.class).isEqualTo("kontrol");
	}

	@Test
	void unauthenticatedSendsNoAuthentication() {
		this.tester.unauthenticated()
			.call("whoami")
			.error()
			.hasType("authenticationError")
			.messageContains("No authentication information");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.tester.unauthenticated().call("whoami").error().hasType("accessDenied"));
	}

	@Test
	void derivedTestersShareConnectionsPerAuthAndTransport() {
		KiteTester unauthenticated = this.tester.unauthenticated();
		assertThat(unauthenticated.connection()).isSameAs(this.tester.unauthenticated().connection())
			.isNotSameAs(this.tester.connection());
		assertThat(this.tester.url().toString()).startsWith("http://127.0.0.1:").endsWith("/kite");
	}

}
