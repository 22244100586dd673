package dev.kite.autoconfigure.e2e;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One-shot calls over a raw kite WebSocket, for tests in other packages. */
public final class WireClients {

	private static final JsonMapper json = JsonMapper.builder().build();

	private WireClients() {
	}

	/**
	 * Calls a method on a fresh connection and returns the response object {@code {error,
	 * result}}.
	 * @param port the server port
	 * @param method the method
	 * @param withArgs the arguments, as JSON
	 * @param authentication the authentication object, as JSON ({@code null} for none)
	 * @return the response
	 * @throws Exception on transport failure or timeout
	 */
	public static JsonNode call(int port, String method, String withArgs, String authentication) throws Exception {
		try (WireClient client = WireClient.connect("ws://127.0.0.1:" + port + "/kite/websocket")) {
			client.send("{\"method\":\"" + method
					+ "\",\"arguments\":[{\"kite\":{\"name\":\"tester\",\"username\":\"claimed\","
					+ "\"id\":\"t\",\"environment\":\"e\",\"region\":\"r\",\"version\":\"1.0.0\",\"hostname\":\"h\"},"
					+ "\"authentication\":" + authentication + ",\"withArgs\":" + withArgs
					+ ",\"responseCallback\":\"[Function]\"}],\"callbacks\":{\"0\":[0,\"responseCallback\"]}}");
			return json.readTree(client.next()).get("arguments").get(0);
		}
	}

}
