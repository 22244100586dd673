package dev.kite.test.tester;

import java.util.Objects;

import dev.kite.protocol.KiteError;
import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.Assertions;

/**
 * AssertJ assertions on the error a kite answered with (or a local one such as
 * {@code timeout}):
 *
 * <pre class="code">
 * tester.call("squareAuth", 4).error().hasType("authenticationError").messageContains("token is expired");
 * </pre>
 *
 * The type, message and code are compared as sent on the wire (PROTOCOL §3.2); the
 * request id the server adds is not.
 */
public class KiteErrorAssert extends AbstractObjectAssert<KiteErrorAssert, KiteError> {

	/**
	 * @param actual the error
	 */
	public KiteErrorAssert(KiteError actual) {
		super(actual, KiteErrorAssert.class);
	}

	/**
	 * Verifies the error's {@code type}, e.g. {@code authenticationError},
	 * {@code methodNotFound} or an application type.
	 * @param type the expected type
	 * @return this
	 */
	public KiteErrorAssert hasType(String type) {
		isNotNull();
		if (!Objects.equals(this.actual.type(), type)) {
			failWithMessage("Expected the kite error type to be <%s> but was <%s> (%s)", type, this.actual.type(),
					this.actual);
		}
		return this;
	}

	/**
	 * Verifies the whole {@code message}.
	 * @param message the expected message
	 * @return this
	 */
	public KiteErrorAssert hasMessage(String message) {
		isNotNull();
		if (!Objects.equals(this.actual.message(), message)) {
			failWithMessage("Expected the kite error message to be <%s> but was <%s> (%s)", message,
					this.actual.message(), this.actual);
		}
		return this;
	}

	/**
	 * Verifies that the {@code message} contains a text.
	 * @param text the expected part
	 * @return this
	 */
	public KiteErrorAssert messageContains(String text) {
		isNotNull();
		if (!this.actual.message().contains(text)) {
			failWithMessage("Expected the kite error message to contain <%s> but was <%s> (%s)", text,
					this.actual.message(), this.actual);
		}
		return this;
	}

	/**
	 * Verifies the application {@code code}.
	 * @param code the expected code ({@code ""} when the kite sends none)
	 * @return this
	 */
	public KiteErrorAssert hasCode(String code) {
		isNotNull();
		if (!Objects.equals(this.actual.code(), code)) {
			failWithMessage("Expected the kite error code to be <%s> but was <%s> (%s)", code, this.actual.code(),
					this.actual);
		}
		return this;
	}

	/**
	 * Assertions on the message, for anything the methods above do not cover.
	 * @return string assertions on the {@code message}
	 */
	public AbstractStringAssert<?> message() {
		isNotNull();
		return Assertions.assertThat(this.actual.message()).as("message of kite error %s", this.actual);
	}

}
