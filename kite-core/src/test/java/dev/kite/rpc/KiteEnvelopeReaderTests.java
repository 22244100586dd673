package dev.kite.rpc;

import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeModule;
import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class KiteEnvelopeReaderTests {

	private final JsonMapper mapper = JsonMapper.builder().addModule(new DnodeModule()).build();

	private final DnodeConnection connection = new DnodeConnection(this.mapper, (text) -> {
	});

	private ArrayNode arguments(String json) {
		return (ArrayNode) this.mapper.readTree(json);
	}

	/** Arguments as the decoder hands them over: functions placed at their paths. */
	private ArrayNode decoded(String arguments, String callbacks) {
		return this.connection
			.decode("{\"method\":\"m\",\"arguments\":" + arguments + ",\"callbacks\":" + callbacks + "}")
			.arguments();
	}

	@Test
	void readsKiteAuthenticationAndArguments() {
		KiteEnvelope envelope = KiteEnvelopeReader.read(
				arguments("[{\"kite\":{\"name\":\"cli\",\"username\":\"alice\"},"
						+ "\"authentication\":{\"type\":\"token\",\"key\":\"k\"},\"withArgs\":[4,\"x\"]}]"),
				this.mapper);
		assertThat(envelope.kite().name()).isEqualTo("cli");
		assertThat(envelope.kite().username()).isEqualTo("alice");
		assertThat(envelope.auth().type()).isEqualTo("token");
		assertThat(envelope.auth().key()).isEqualTo("k");
		assertThat(envelope.withArgs().toString()).isEqualTo("[4,\"x\"]");
	}

	@Test
	void absentPartsAreNullAndArgumentsEmpty() {
		for (String json : new String[] { "[{}]", "[{\"kite\":null,\"authentication\":null,\"withArgs\":null}]" }) {
			KiteEnvelope envelope = KiteEnvelopeReader.read(arguments(json), this.mapper);
			assertThat(envelope.kite()).as(json).isNull();
			assertThat(envelope.auth()).as(json).isNull();
			assertThat(envelope.withArgs()).as(json).isEmpty();
		}
	}

	@Test
	void aSingleValueIsOneArgument() {
		assertThat(KiteEnvelopeReader.read(arguments("[{\"withArgs\":4}]"), this.mapper).withArgs().toString())
			.isEqualTo("[4]");
	}

	@Test
	void aConnectionsEqualKiteAndAuthenticationAreBoundOnceAndChangesAreBoundAgain() {
		LastBinding<Kite> kites = new LastBinding<>(Kite.class);
		LastBinding<Auth> auths = new LastBinding<>(Auth.class);
		String request = "[{\"kite\":{\"name\":\"cli\",\"username\":\"alice\"},"
				+ "\"authentication\":{\"type\":\"token\",\"key\":\"k\"},\"withArgs\":[4]}]";
		KiteEnvelope first = KiteEnvelopeReader.read(arguments(request), this.mapper, kites, auths);
		KiteEnvelope second = KiteEnvelopeReader.read(arguments(request), this.mapper, kites, auths);
		assertThat(second.kite()).isSameAs(first.kite());
		assertThat(second.auth()).isSameAs(first.auth());
		KiteEnvelope changed = KiteEnvelopeReader
			.read(arguments(request.replace("alice", "bob").replace("\"k\"", "\"k2\"")), this.mapper, kites, auths);
		assertThat(changed.kite().username()).isEqualTo("bob");
		assertThat(changed.auth().key()).isEqualTo("k2");
		// A malformed part is refused on every request, not only the first.
		assertThatExceptionOfType(KiteException.class).isThrownBy(() -> KiteEnvelopeReader
			.read(arguments("[{\"kite\":{\"name\":{\"secret\":1}}}]"), this.mapper, kites, auths));
	}

	@Test
	void refusesMalformedEnvelopesWithArgumentErrorsThatNameThePart() {
		assertRefused("[]", "Invalid envelope: arguments must hold exactly one object");
		assertRefused("[{},{}]", "Invalid envelope: arguments must hold exactly one object");
		assertRefused("[\"envelope\"]", "Invalid envelope: arguments must hold exactly one object");
		assertRefused("[{\"kite\":\"me\"}]", "Invalid envelope: \"kite\" must be an object");
		assertRefused("[{\"authentication\":[1]}]", "Invalid envelope: \"authentication\" must be an object");
		assertRefused("[{\"kite\":{\"name\":{\"secret\":1}}}]",
				"Invalid envelope: \"kite\" has fields of the wrong type");
		assertRefused("[{\"authentication\":{\"type\":[\"x\"]}}]",
				"Invalid envelope: \"authentication\" has fields of the wrong type");
	}

	private void assertRefused(String json, String message) {
		assertThatExceptionOfType(KiteException.class).as(json)
			.isThrownBy(() -> KiteEnvelopeReader.read(arguments(json), this.mapper))
			.satisfies((ex) -> {
				assertThat(ex.error().type()).isEqualTo(KiteErrorTypes.ARGUMENT_ERROR);
				assertThat(ex.error().message()).isEqualTo(message);
			});
	}

	@Test
	void findsTheResponderEvenInAMalformedEnvelope() {
		assertThat(KiteEnvelopeReader
			.responder(decoded("[{\"kite\":\"me\",\"responseCallback\":\"[Function]\"},2]",
					"{\"7\":[0,\"responseCallback\"]}"))
			.id()).isEqualTo(7);
		assertThat(KiteEnvelopeReader.responder(decoded("[{\"responseCallback\":null}]", "{}"))).isNull();
		assertThat(KiteEnvelopeReader.responder(decoded("[\"[Function]\"]", "{\"0\":[0]}"))).isNull();
		assertThat(KiteEnvelopeReader.responder(decoded("[]", "{}"))).isNull();
	}

}
