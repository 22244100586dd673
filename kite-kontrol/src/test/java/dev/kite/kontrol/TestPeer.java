package dev.kite.kontrol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.kite.dnode.DnodeConnection;
import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import dev.kite.rpc.KiteSession;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One connection to a {@link KontrolFixture}'s Kontrol, seen from the peer: frames are
 * written by hand, as a Go kite writes them, and everything Kontrol sends is recorded.
 */
final class TestPeer {

	private final KontrolFixture fixture;

	final Kite kite;

	final KiteSession session;

	/** Every frame Kontrol sent to this peer, parsed. */
	final List<JsonNode> received = new CopyOnWriteArrayList<>();

	private final AtomicLong nextCallbackId = new AtomicLong();

	TestPeer(KontrolFixture fixture, String id, Kite kite) {
		this.fixture = fixture;
		this.kite = kite;
		DnodeConnection connection = new DnodeConnection(fixture.mapper,
				(text) -> this.received.add(fixture.mapper.readTree(text)));
		this.session = new KiteSession(id, connection, false, Runnable::run);
	}

	/** Calls a method with the arguments and returns the one response argument. */
	JsonNode call(String method, @Nullable Auth auth, Object... withArgs) {
		ArrayNode args = this.fixture.mapper.createArrayNode();
		for (Object arg : withArgs) {
			args.add(this.fixture.mapper.valueToTree(arg));
		}
		return call(method, auth, args, Map.of());
	}

	/**
	 * Calls a method; {@code functions} names the peer functions inside {@code withArgs}
	 * (path below {@code withArgs} → the id the peer gives it).
	 */
	JsonNode call(String method, @Nullable Auth auth, ArrayNode withArgs, Map<Long, List<Object>> functions) {
		long responseId = this.nextCallbackId.getAndIncrement();
		ObjectNode envelope = this.fixture.mapper.createObjectNode();
		envelope.set("kite", this.fixture.mapper.valueToTree(this.kite));
		envelope.set("authentication",
				(auth != null) ? this.fixture.mapper.valueToTree(auth) : this.fixture.mapper.nullNode());
		envelope.put("responseCallback", "[Function]");
		envelope.set("withArgs", withArgs);
		ObjectNode frame = this.fixture.mapper.createObjectNode();
		frame.put("method", method);
		frame.putArray("arguments").add(envelope);
		ObjectNode callbacks = frame.putObject("callbacks");
		callbacks.putArray(String.valueOf(responseId)).add(0).add("responseCallback");
		functions.forEach((id, path) -> {
			ArrayNode full = callbacks.putArray(String.valueOf(id)).add(0).add("withArgs");
			for (Object step : path) {
				if (step instanceof Integer index) {
					full.add(index);
				}
				else {
					full.add(String.valueOf(step));
				}
			}
		});
		this.fixture.dispatcher.dispatch(this.session, frame.toString());
		List<JsonNode> calls = callsOf(responseId);
		if (calls.size() != 1) {
			throw new AssertionError("Expected one response to " + method + ", got " + calls);
		}
		return calls.get(0).get("arguments").get(0);
	}

	/** A callback id this peer has not used yet, for a function it passes. */
	long newCallbackId() {
		return this.nextCallbackId.getAndIncrement();
	}

	/** The frames in which Kontrol called the peer's function {@code id}. */
	List<JsonNode> callsOf(long id) {
		List<JsonNode> calls = new ArrayList<>();
		for (JsonNode frame : this.received) {
			JsonNode method = frame.get("method");
			if (method != null && method.isIntegralNumber() && method.longValue() == id) {
				calls.add(frame);
			}
		}
		return calls;
	}

	/** The frames in which Kontrol called a method of the peer. */
	List<JsonNode> methodCalls(String name) {
		List<JsonNode> calls = new ArrayList<>();
		for (JsonNode frame : this.received) {
			JsonNode method = frame.get("method");
			if (method != null && method.isString() && method.stringValue().equals(name)) {
				calls.add(frame);
			}
		}
		return calls;
	}

	/** The id Kontrol gave the function at a path of its call (e.g. the ping). */
	static long callbackAt(JsonNode frame, Object... path) {
		for (Map.Entry<String, JsonNode> entry : frame.get("callbacks").properties()) {
			JsonNode candidate = entry.getValue();
			if (candidate.size() == path.length) {
				boolean same = true;
				for (int i = 0; i < path.length; i++) {
					same &= candidate.get(i)
						.toString()
						.equals(String.valueOf(path[i]).matches("\\d+") ? String.valueOf(path[i])
								: "\"" + path[i] + "\"");
				}
				if (same) {
					return Long.parseLong(entry.getKey());
				}
			}
		}
		throw new AssertionError("No function at " + List.of(path) + " in " + frame);
	}

	/** Calls one of Kontrol's functions, as the kite calls its heartbeat ping. */
	void invoke(long kontrolCallbackId, Object... arguments) {
		ObjectNode frame = this.fixture.mapper.createObjectNode();
		frame.put("method", kontrolCallbackId);
		ArrayNode args = frame.putArray("arguments");
		for (Object argument : arguments) {
			args.add(this.fixture.mapper.valueToTree(argument));
		}
		frame.putObject("callbacks");
		this.fixture.dispatcher.dispatch(this.session, frame.toString());
	}

	void close() {
		this.session.close();
	}

	static Auth kiteKey(String key) {
		return new Auth(Auth.KITE_KEY, key);
	}

	static Auth token(String key) {
		return new Auth(Auth.TOKEN, key);
	}

}
