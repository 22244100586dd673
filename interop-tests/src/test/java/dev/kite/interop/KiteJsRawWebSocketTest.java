package dev.kite.interop;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kite.js with its default transport (the {@code ws} WebSocket, raw dnode frames, no SockJS framing)
 * at {@code ws://127.0.0.1:PORT/kite/websocket}.
 */
class KiteJsRawWebSocketTest extends KiteJsClientChecks {

	@Override
	String mode() {
		return "raw";
	}

	@Override
	String url(SampleApp app) {
		return app.rawWebSocketUrl();
	}

	@Override
	void assertTransport(JsonNode value, SampleApp app) {
		assertThat(value.get("kind").asString()).isEqualTo("ws");
		assertThat(value.get("sockjsTransport").isNull()).isTrue();
		assertThat(value.get("url").asString()).isEqualTo(app.rawWebSocketUrl());
	}

}
