package dev.kite.interop;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static dev.kite.interop.RawKiteConnection.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input on the raw WebSocket endpoint {@code /kite/websocket}, sent by hand (Java's
 * WebSocket client): the server drops what is not a kite call, answers a malformed call
 * that has a {@code responseCallback} with {@code argumentError}, keeps serving the same
 * connection and others, and closes only a connection whose message exceeds the 1 MiB
 * limit (1009).
 */
@ExtendWith(SampleAppExtension.class)
@Timeout(60)
class RawProtocolRobustnessTest {

	private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

	/** The server's default {@code kite.server.max-message-size}, in characters. */
	private static final int LIMIT = 1024 * 1024;

	@Test
	void inputThatIsNotAKiteCallIsDroppedAndTheConnectionKeepsWorking(SampleApp app) {
		List<String> garbage = List.of(
				// not JSON at all
				"this is not JSON {",
				// JSON, but not an object
				"[1,2,3]", "\"a string\"", "42", "null",
				// no method, or a method that is neither a name nor a callback id
				"{\"arguments\":[],\"callbacks\":{}}", "{\"method\":true,\"arguments\":[],\"callbacks\":{}}",
				// arguments not an array (with and without a callback path into it)
				"{\"method\":\"square\",\"arguments\":{\"withArgs\":[4]},\"callbacks\":{}}",
				"{\"method\":\"square\",\"arguments\":{\"responseCallback\":\"[Function]\"},\"callbacks\":{\"0\":[\"responseCallback\"]}}",
				// callbacks not an object
				"{\"method\":\"square\",\"arguments\":[{\"withArgs\":[4]}],\"callbacks\":[0]}",
				// envelope not an object, and no responseCallback to answer to
				"{\"method\":\"square\",\"arguments\":[5],\"callbacks\":{}}",
				"{\"method\":\"square\",\"arguments\":[],\"callbacks\":{}}",
				// a numeric method: a callback id this server never issued
				"{\"method\":99,\"arguments\":[1],\"callbacks\":{}}",
				"{\"method\":0,\"arguments\":[{\"error\":null,\"result\":1}],\"callbacks\":{}}",
				// a known method called without a responseCallback: runs, but nobody to
				// answer
				"{\"method\":\"square\",\"arguments\":[{\"withArgs\":[4]}],\"callbacks\":{}}");
		try (RawKiteConnection connection = RawKiteConnection.open(app)) {
			for (String text : garbage) {
				connection.sendText(text);
			}
			// Nothing above may be answered: the first message that arrives must be this
			// call's reply.
			JsonNode reply = connection.call("square", "[4]", REPLY_TIMEOUT);
			assertSuccess(reply, 16);
			assertThat(connection.next(Duration.ofMillis(300))).as("no further message").isNull();
			assertThat(connection.isClosed()).as("the connection is still open").isFalse();
			// and it keeps working
			assertSuccess(connection.call("square", "[5]", REPLY_TIMEOUT), 25);
		}
		try (RawKiteConnection fresh = RawKiteConnection.open(app)) {
			assertSuccess(fresh.call("square", "[6]", REPLY_TIMEOUT), 36);
		}
		assertThat(app.isAlive()).isTrue();
	}

	@Test
	void malformedEnvelopeWithResponseCallbackGetsArgumentError(SampleApp app) {
		try (RawKiteConnection connection = RawKiteConnection.open(app)) {
			// arguments must hold exactly one object: here a second argument follows the
			// envelope
			long twoArguments = connection.newCallbackId();
			ArrayNode arguments = JSON.createArrayNode();
			arguments.addObject().put("responseCallback", "[Function]").putArray("withArgs").add(4);
			arguments.add("unexpected");
			connection.sendText(RawKiteConnection.message("square", arguments, twoArguments, "0", "responseCallback"));
			assertArgumentError(connection.awaitReply(twoArguments, REPLY_TIMEOUT), "Invalid envelope");

			// "kite" must be an object (Go's numeric path index this time)
			long kiteNotObject = connection.newCallbackId();
			ObjectNode envelope = JSON.createObjectNode();
			envelope.put("kite", "not an object");
			envelope.putArray("withArgs").add(4);
			envelope.put("responseCallback", "[Function]");
			connection.sendText(RawKiteConnection.message("square", JSON.createArrayNode().add(envelope), kiteNotObject,
					0, "responseCallback"));
			assertArgumentError(connection.awaitReply(kiteNotObject, REPLY_TIMEOUT), "Invalid envelope");

			// "authentication" must be an object (or null / absent)
			long authNotObject = connection.newCallbackId();
			ObjectNode badAuth = JSON.createObjectNode();
			badAuth.put("authentication", 5);
			badAuth.putArray("withArgs").add(4);
			badAuth.put("responseCallback", "[Function]");
			connection.sendText(RawKiteConnection.message("square", JSON.createArrayNode().add(badAuth), authNotObject,
					"0", "responseCallback"));
			assertArgumentError(connection.awaitReply(authNotObject, REPLY_TIMEOUT), "Invalid envelope");

			// the same connection still works
			assertSuccess(connection.call("square", "[7]", REPLY_TIMEOUT), 49);
		}
		try (RawKiteConnection fresh = RawKiteConnection.open(app)) {
			assertSuccess(fresh.call("square", "[8]", REPLY_TIMEOUT), 64);
		}
	}

	@Test
	void unknownMethodWithGoStylePathIsMethodNotFoundWithEmptyId(SampleApp app) {
		try (RawKiteConnection connection = RawKiteConnection.open(app)) {
			long id = connection.newCallbackId();
			ObjectNode envelope = JSON.createObjectNode();
			envelope.putNull("authentication");
			envelope.putNull("withArgs"); // what a Go client sends for a call without
											// arguments
			envelope.put("responseCallback", "[Function]");
			connection.sendText(
					RawKiteConnection.message("nope", JSON.createArrayNode().add(envelope), id, 0, "responseCallback"));
			JsonNode reply = connection.awaitReply(id, REPLY_TIMEOUT);
			JsonNode error = reply.get("error");
			assertThat(error).as("reply %s", reply).isNotNull();
			assertThat(error.path("type").asString("")).isEqualTo("methodNotFound");
			assertThat(error.path("message").asString("")).isEqualTo("Method not found: nope");
			assertThat(error.path("code").asString("?")).isEmpty();
			assertThat(error.path("id").asString("?")).as("methodNotFound carries an empty id (PROTOCOL §3.4)")
				.isEmpty();
			assertThat(reply.has("result") && reply.get("result").isNull()).as("result key present and null: %s", reply)
				.isTrue();
		}
	}

	@Test
	void messageOverOneMebibyteClosesOnlyThatConnectionWith1009(SampleApp app) {
		try (RawKiteConnection bystander = RawKiteConnection.open(app);
				RawKiteConnection sender = RawKiteConnection.open(app)) {
			assertSuccess(bystander.call("square", "[2]", REPLY_TIMEOUT), 4);

			// exactly at the limit: accepted and answered
			long atLimit = sender.newCallbackId();
			sender.sendText(paddedCall(sender, atLimit, LIMIT));
			assertSuccess(sender.awaitReply(atLimit, REPLY_TIMEOUT), 9);

			// one character over: the connection is closed with 1009 (message too big),
			// unanswered
			long overLimit = sender.newCallbackId();
			sender.sendText(paddedCall(sender, overLimit, LIMIT + 1));
			RawKiteConnection.Close close = sender.awaitClose(REPLY_TIMEOUT);
			assertThat(close.code()).as("close status: %s", close).isEqualTo(1009);
			assertThat(sender.next(Duration.ZERO)).as("no reply to the oversized call").isNull();

			// the other connection is unaffected, and new ones are accepted
			assertSuccess(bystander.call("square", "[10]", REPLY_TIMEOUT), 100);
			assertThat(bystander.isClosed()).isFalse();
		}
		try (RawKiteConnection fresh = RawKiteConnection.open(app)) {
			assertSuccess(fresh.call("square", "[11]", REPLY_TIMEOUT), 121);
		}
		assertThat(app.isAlive()).isTrue();
	}

	/**
	 * A valid {@code square([3])} call, padded (in the caller's hostname) to exactly
	 * {@code length} characters.
	 */
	private static String paddedCall(RawKiteConnection connection, long callbackId, int length) {
		String template = connection.callMessage("square", "[3]", callbackId).replace("\"localhost\"", "\"@PAD@\"");
		int padding = length - (template.length() - "@PAD@".length());
		assertThat(padding).isPositive();
		String message = template.replace("@PAD@", "x".repeat(padding));
		assertThat(message).hasSize(length);
		return message;
	}

	private static void assertSuccess(JsonNode reply, double expected) {
		assertThat(reply.has("error") && reply.get("error").isNull()).as("error is null in %s", reply).isTrue();
		JsonNode result = reply.get("result");
		assertThat(result != null && result.isNumber()).as("numeric result in %s", reply).isTrue();
		assertThat(result.asDouble()).as("result in %s", reply).isEqualTo(expected);
	}

	private static void assertArgumentError(JsonNode reply, String messagePrefix) {
		JsonNode error = reply.get("error");
		assertThat(error != null && error.isObject()).as("an error object in %s", reply).isTrue();
		assertThat(error.path("type").asString("")).as("error type in %s", reply).isEqualTo("argumentError");
		assertThat(error.path("message").asString("")).as("error message in %s", reply).startsWith(messagePrefix);
		assertThat(error.path("code").asString("?")).as("code in %s", reply).isEmpty();
		assertThat(error.path("id").asString("")).as("request id in %s (16 lowercase hex, PROTOCOL §3.4)", reply)
			.matches("[0-9a-f]{16}");
		assertThat(reply.has("result") && reply.get("result").isNull()).as("result key present and null: %s", reply)
			.isTrue();
	}

}
