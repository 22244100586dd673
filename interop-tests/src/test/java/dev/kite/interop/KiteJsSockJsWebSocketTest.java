package dev.kite.interop;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kite.js with {@code transportClass: Kite.transport.SockJS} at {@code http://127.0.0.1:PORT/kite}:
 * sockjs-client reads {@code /kite/info} and opens its WebSocket transport
 * ({@code /kite/{server}/{session}/websocket}, SockJS framing) — how kite.js reaches Go kites.
 */
class KiteJsSockJsWebSocketTest extends KiteJsClientChecks {

	@Override
	String mode() {
		return "sockjs";
	}

	@Override
	String url(SampleApp app) {
		return app.httpUrl();
	}

	@Override
	void assertTransport(JsonNode value, SampleApp app) {
		assertThat(value.get("kind").asString()).isEqualTo("sockjs");
		assertThat(value.get("sockjsTransport").asString()).as("sockjs-client's transport").isEqualTo("websocket");
		assertThat(value.get("url").asString()).isEqualTo(app.httpUrl());
	}

}
