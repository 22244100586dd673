package dev.kite.dnode;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kite.client.KiteClientFactory;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DnodeConnectionTests {

	private final JsonMapper mapper = JsonMapper.builder().addModule(new DnodeModule()).build();

	private final List<String> sent = new CopyOnWriteArrayList<>();

	private final DnodeConnection connection = new DnodeConnection(this.mapper, this.sent::add);

	record Envelope(Object kite, Object authentication, KiteCallback responseCallback, List<Object> withArgs) {
	}

	@Test
	void encodesFunctionsWithGoPathsAndIdsFromZero() {
		KiteCallback response = (args) -> {
		};
		KiteCallback ping = (args) -> {
		};
		String text = this.connection.encode("kite.heartbeat",
				new Envelope(Map.of("name", "kontrol"), null, response, List.of(10, ping)));
		assertThat(text).isEqualTo("{\"method\":\"kite.heartbeat\",\"arguments\":[{\"kite\":{\"name\":\"kontrol\"},"
				+ "\"authentication\":null,\"responseCallback\":\"[Function]\",\"withArgs\":[10,\"[Function]\"]}],"
				+ "\"callbacks\":{\"0\":[0,\"responseCallback\"],\"1\":[0,\"withArgs\",1]}}");
		assertThat(this.connection.callback(0)).isSameAs(response);
		assertThat(this.connection.callback(1)).isSameAs(ping);
	}

	@Test
	void encodesFunctionsNestedInMapsAndListsAndKeepsCounting() {
		this.connection.encode("first", (KiteCallback) (args) -> {
		});
		String text = this.connection.encode(7L, List.of(Map.of("on", List.of("x", (KiteCallback) (args) -> {
		}))));
		assertThat(text).isEqualTo(
				"{\"method\":7,\"arguments\":[[{\"on\":[\"x\",\"[Function]\"]}]],\"callbacks\":{\"1\":[0,0,\"on\",1]}}");
		assertThat(this.connection.callbackCount()).isEqualTo(2);
	}

	@Test
	void encodesCallWithoutArguments() {
		assertThat(this.connection.encode(0L)).isEqualTo("{\"method\":0,\"arguments\":[],\"callbacks\":{}}");
	}

	@Test
	void writesWholeNumbersAsGoDoes() {
		assertThat(this.connection.encode(0L, 16.0, 2.5, -3.0f, 0.1f, 1e300, 9007199254740993.0))
			.isEqualTo("{\"method\":0,\"arguments\":[16,2.5,-3,0.1,1.0E300,9.007199254740992E15],\"callbacks\":{}}");
	}

	@Test
	void refusesNonFiniteNumbersAsGosEncoderDoes() {
		// Jackson would write the string "NaN"; Go's json.Marshal fails with "json:
		// unsupported value", and a Go peer cannot decode a string into a number.
		for (Object value : new Object[] { Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
				List.of(1.0, Double.NaN) }) {
			assertThatExceptionOfType(DnodeSendException.class).as(String.valueOf(value))
				.isThrownBy(() -> this.connection.encode(0L, value))
				.withMessageContaining("json: unsupported value: ");
		}
	}

	@Test
	void refusesFunctionsOutsideAMessage() {
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> this.mapper.writeValueAsString(List.of((KiteCallback) (args) -> {
			})))
			.withMessageContaining("can only be sent as");
	}

	@Test
	void decodesGoNumericAndJsStringPathsIgnoringLinksAndPlaceholders() {
		DnodeMessage go = this.connection.decode("{\"method\":\"square\",\"arguments\":[{\"responseCallback\":null,"
				+ "\"withArgs\":[4,\"[Function]\"]}],\"callbacks\":{\"0\":[0,\"responseCallback\"],\"1\":[0,\"withArgs\",1]}}");
		DnodeMessage js = this.connection
			.decode("{\"arguments\":[{\"withArgs\":[4],\"responseCallback\":\"[Function]\"}],"
					+ "\"callbacks\":{\"5\":[\"0\",\"responseCallback\"]},\"links\":[],\"method\":\"square\"}");
		assertThat(go).isInstanceOf(DnodeMessage.MethodCall.class);
		JsonNode goEnvelope = go.arguments().get(0);
		assertThat(DnodeTrees.callbackAt(goEnvelope.get("responseCallback")).id()).isZero();
		assertThat(DnodeTrees.callbackAt(goEnvelope.get("withArgs").get(1)).id()).isEqualTo(1);
		assertThat(goEnvelope.get("withArgs").get(0).intValue()).isEqualTo(4);
		assertThat(((DnodeMessage.MethodCall) js).method()).isEqualTo("square");
		assertThat(DnodeTrees.callbackAt(js.arguments().get(0).get("responseCallback")).id()).isEqualTo(5);
	}

	@Test
	void ignoresCallbackPathsIntoNothing() {
		DnodeMessage message = this.connection.decode("{\"method\":\"m\",\"arguments\":[{\"a\":[1]}],"
				+ "\"callbacks\":{\"0\":[3],\"1\":[0,\"b\"],\"2\":[0,\"a\",9],\"3\":[],\"x\":[0],\"4\":\"no\",\"5\":[0,\"a\",\"-1\"]}}");
		assertThat(message.arguments().toString()).isEqualTo("[{\"a\":[1]}]");
	}

	@Test
	void callingARemoteCallbackSendsItsIdWithScrubbedArguments() {
		DnodeMessage message = this.connection
			.decode("{\"method\":\"m\",\"arguments\":[\"[Function]\"],\"callbacks\":{\"12\":[0]}}");
		RemoteCallback remote = DnodeTrees.callbackAt(message.arguments().get(0));
		List<JsonNode> received = new ArrayList<>();
		remote.call(6, (KiteCallback) (args) -> received.addAll(List.of(args)));
		assertThat(this.sent)
			.containsExactly("{\"method\":12,\"arguments\":[6,\"[Function]\"],\"callbacks\":{\"0\":[1]}}");
		this.connection.callback(0).call(this.mapper.getNodeFactory().stringNode("hi"));
		assertThat(received).extracting(JsonNode::stringValue).containsExactly("hi");
	}

	@Test
	void forwardsARemoteCallbackPassedOnAsAnArgument() {
		DnodeMessage message = this.connection
			.decode("{\"method\":\"m\",\"arguments\":[\"[Function]\"],\"callbacks\":{\"3\":[0]}}");
		RemoteCallback remote = DnodeTrees.callbackAt(message.arguments().get(0));
		this.connection.send("other", List.of(remote));
		this.sent.clear();
		this.connection.callback(0).call(this.mapper.getNodeFactory().numberNode(1));
		assertThat(this.sent).containsExactly("{\"method\":3,\"arguments\":[1],\"callbacks\":{}}");
	}

	@Test
	void decodesCallbackInvocations() {
		DnodeMessage message = this.connection.decode("{\"method\":3,\"arguments\":[{\"error\":null,\"result\":16}]}");
		assertThat(message).isEqualTo(new DnodeMessage.CallbackCall(3, message.arguments()));
		assertThat(message.arguments().get(0).get("result").intValue()).isEqualTo(16);
	}

	@Test
	void treatsMissingArgumentsAsEmpty() {
		assertThat(this.connection.decode("{\"method\":\"kite.ping\"}").arguments()).isEmpty();
		assertThat(this.connection.decode("{\"method\":\"kite.ping\",\"arguments\":null}").arguments()).isEmpty();
	}

	@Test
	void refusesFramesThatAreNotDnodeMessages() {
		for (String bad : List.of("not json", "[1,2]", "\"text\"", "42", "{\"method\":\"m\",\"arguments\":{}}",
				"{\"arguments\":[]}", "{\"method\":1.5}", "{\"method\":-1}", "{\"method\":true}",
				"{\"method\":\"m\"")) {
			assertThatExceptionOfType(DnodeFormatException.class).as(bad).isThrownBy(() -> this.connection.decode(bad));
		}
	}

	@Test
	void closedConnectionRefusesSendsAndForgetsCallbacks() {
		this.connection.encode("m", (KiteCallback) (args) -> {
		});
		this.connection.close();
		assertThat(this.connection.callbackCount()).isZero();
		assertThatExceptionOfType(DnodeSendException.class).isThrownBy(() -> this.connection.send("m"))
			.withMessageContaining("closed");
	}

	@Test
	void transportFailureBecomesSendException() {
		DnodeConnection failing = new DnodeConnection(this.mapper, (text) -> {
			throw new java.io.IOException("broken pipe");
		});
		assertThatExceptionOfType(DnodeSendException.class).isThrownBy(() -> failing.send("m"))
			.withMessageContaining("broken pipe");
	}

	@Test
	void requiresTheModule() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> DnodeConnection.requireModule(JsonMapper.builder().build()));
	}

	@Test
	void closedConnectionThatEncodedFunctionsIsCollectable() {
		// The mapper outlives connections: nothing it caches may keep one (or what hangs
		// off it) alive.
		WeakReference<DnodeConnection> reference = encodeWithFunctionsAndDrop();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
			System.gc();
			return reference.get() == null;
		});
	}

	private WeakReference<DnodeConnection> encodeWithFunctionsAndDrop() {
		DnodeConnection dropped = new DnodeConnection(this.mapper, (text) -> {
		});
		for (int i = 0; i < 3; i++) {
			dropped.encode("kite.heartbeat", new Envelope(Map.of("name", "kontrol"), null, (args) -> {
			}, List.of(i, (KiteCallback) (args) -> {
			})));
		}
		dropped.close();
		return new WeakReference<>(dropped);
	}

	@Test
	void theKiteMapperCapsNestingDepthAndStringLength() {
		DnodeConnection capped = new DnodeConnection(KiteClientFactory.defaultObjectMapper(), this.sent::add);
		// The envelope takes three levels: a frame exactly at the cap is read, one level
		// more (within Jackson's default of 500) is refused as malformed.
		assertThat(capped.decode(call(nested(DnodeModule.MAX_NESTING_DEPTH - 3)))).isNotNull();
		assertThatExceptionOfType(DnodeFormatException.class)
			.isThrownBy(() -> capped.decode(call(nested(DnodeModule.MAX_NESTING_DEPTH - 2))));
		// A 10,000-deep frame is refused by the parser, not by a stack overflow.
		assertThatExceptionOfType(DnodeFormatException.class).isThrownBy(() -> capped.decode(call(nested(10_000))));
		String longest = "x".repeat(DnodeModule.MAX_STRING_LENGTH);
		assertThat(capped.decode(call("\"" + longest + "\""))).isNotNull();
		assertThatExceptionOfType(DnodeFormatException.class)
			.isThrownBy(() -> capped.decode(call("\"" + longest + "x\"")));
		assertThat(this.sent).isEmpty();
	}

	/** A call whose envelope's {@code withArgs} is the given JSON. */
	private static String call(String withArgs) {
		return "{\"method\":\"m\",\"arguments\":[{\"withArgs\":" + withArgs + "}],\"callbacks\":{}}";
	}

	/** {@code levels} arrays nested in each other. */
	private static String nested(int levels) {
		return "[".repeat(levels) + "]".repeat(levels);
	}

	@Test
	void loneSurrogatesAreSentEscapedSoTheMessageIsValidUtf8() {
		String text = this.connection.encode("echo", "a\ud800b", "\udc00", "\ud83d\ude00", "\udfff\ud800");
		assertThat(text).contains("\"a\\ud800b\"", "\"\\udc00\"", "\"\ud83d\ude00\"", "\"\\udfff\\ud800\"");
		assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(text)).isTrue();
		// and a peer reads the same strings back
		DnodeMessage.MethodCall call = (DnodeMessage.MethodCall) this.connection.decode(text);
		assertThat(call.arguments().get(0).stringValue()).isEqualTo("a\ud800b");
		assertThat(call.arguments().get(3).stringValue()).isEqualTo("\udfff\ud800");
		String plain = this.connection.encode("echo", "plain");
		assertThat(DnodeConnection.escapeLoneSurrogates(plain)).isSameAs(plain);
	}

}
