package dev.kite.interop;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kite.js client checks, run once per {@link KiteJsTransport} by the subclasses: one
 * run of {@code src/test/js/kite-client-checks.js} (kite.js 1.0.13 in Node) against the
 * sample app, then one test per check asserting what kite.js saw. Every failure message
 * carries the check's JSON line and the script's stdout and stderr.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SampleAppExtension.class)
abstract class KiteJsClientChecks {

	private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);

	private final KiteJsTransport transport;

	private NodeScript.Result run;

	private SampleApp app;

	/**
	 * @param transport how kite.js reaches the sample app in this run
	 */
	KiteJsClientChecks(KiteJsTransport transport) {
		this.transport = transport;
	}

	@BeforeAll
	void runScript(SampleApp app) {
		this.app = app;
		this.run = NodeScript.run(SCRIPT_TIMEOUT, "kite-client-checks.js", this.transport.mode(),
				this.transport.url(app));
	}

	@Test
	void scriptRanToTheEnd() {
		assertThat(this.run.timedOut()).as("the script was killed after %s\n%s", this.run.took(), this.run.describe())
			.isFalse();
		assertThat(this.run.exitCode()).as("exit code\n%s", this.run.describe()).isZero();
		assertThat(this.run.stdout()).as("the script's last line\n%s", this.run.describe()).contains("{\"done\":true}");
		assertThat(this.app.isAlive()).as("the sample app still runs").isTrue();
	}

	@Test
	void transport() {
		this.transport.assertUsedBy(result("transport"), this.app);
	}

	@Test
	void square() {
		assertNumber(result("square"), 16, "square([4])");
	}

	@Test
	void callbackIsCalledWithTwiceTheNumberThenAnswersNull() {
		JsonNode value = result("callback");
		assertThat(value.get("result").isNull()).as("result of callback([3, fn]) is null: %s\n%s", value, details())
			.isTrue();
		JsonNode calls = value.get("calls");
		assertThat(calls.size()).as("fn was called exactly once: %s\n%s", calls, details()).isEqualTo(1);
		assertThat(calls.get(0).size()).as("fn got exactly one argument: %s\n%s", calls, details()).isEqualTo(1);
		assertNumber(calls.get(0).get(0), 6, "fn's argument");
	}

	@Test
	void ping() {
		JsonNode value = result("ping");
		assertThat(value.isString() ? value.asString() : value.toString()).as("kite.ping\n%s", details())
			.isEqualTo("pong");
	}

	@Test
	void unknownMethodIsMethodNotFound() {
		assertKiteError("methodNotFound", "methodNotFound", "Method not found: nope");
	}

	@Test
	void wrongArgumentTypeIsArgumentError() {
		JsonNode error = error("argumentError");
		assertThat(error.path("type").asString("")).as("error type of square(['abc'])\n%s", details())
			.isEqualTo("argumentError");
		assertThat(error.path("message").asString("")).as("error message of square(['abc'])\n%s", details())
			.containsIgnoringCase("argument 0")
			.contains("square");
		assertThat(error.path("code").asString("?")).as("error code\n%s", details()).isEmpty();
	}

	@Test
	void unauthenticatedCallOfAuthenticatedMethodIsAuthenticationError() {
		assertKiteError("authenticationError", "authenticationError", "No authentication information is provided");
	}

	@Test
	void scalarWithArgsIsTakenAsOneArgument() {
		assertNumber(result("scalarWithArgs"), 16, "tell('square', 4)");
	}

	@Test
	void twoHundredConcurrentCallsAreAllAnsweredCorrectly() {
		JsonNode value = result("concurrent");
		JsonNode inputs = value.get("inputs");
		JsonNode results = value.get("results");
		assertThat(inputs.size()).isEqualTo(200);
		assertThat(results.size()).as("number of answers\n%s", details()).isEqualTo(200);
		for (int i = 0; i < 200; i++) {
			double n = inputs.get(i).asDouble();
			JsonNode answer = results.get(i);
			assertThat(answer.isNumber() && answer.asDouble() == n * n)
				.as("call %d: square([%s]) answered %s, expected %s", i, n, answer, n * n)
				.isTrue();
		}
	}

	private JsonNode line(String check) {
		return this.run.check(check);
	}

	private String details() {
		return this.run.describe();
	}

	/** The value of a check that must have succeeded. */
	JsonNode result(String check) {
		JsonNode line = line(check);
		assertThat(line.path("outcome").asString("")).as("outcome of check '%s': %s\n%s", check, line, details())
			.isEqualTo("result");
		return line.get("value");
	}

	/** The error of a check that must have failed with an error reply. */
	JsonNode error(String check) {
		JsonNode line = line(check);
		assertThat(line.path("outcome").asString("")).as("outcome of check '%s': %s\n%s", check, line, details())
			.isEqualTo("error");
		JsonNode error = line.get("error");
		assertThat(error.path("name").asString("")).as("kite.js turned the reply into a KiteError: %s", line)
			.isEqualTo("KiteError");
		return error;
	}

	private void assertKiteError(String check, String type, String message) {
		JsonNode error = error(check);
		assertThat(error.path("type").asString("")).as("error type of check '%s'\n%s", check, details())
			.isEqualTo(type);
		assertThat(error.path("message").asString("")).as("error message of check '%s'\n%s", check, details())
			.isEqualTo(message);
		assertThat(error.path("code").asString("?"))
			.as("error code of check '%s' (Go sends \"\")\n%s", check, details())
			.isEmpty();
	}

	private void assertNumber(JsonNode value, double expected, String what) {
		assertThat(value != null && value.isNumber()).as("%s answered a number: %s\n%s", what, value, details())
			.isTrue();
		assertThat(value.asDouble()).as("%s\n%s", what, details()).isEqualTo(expected);
	}

}
