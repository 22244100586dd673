package dev.kite.interop;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kite.js with {@code transportClass: Kite.transport.SockJS} forced to XHR polling
 * ({@code transportOptions: { transports: ['xhr-polling'] }}, sockjs-client's transport whitelist):
 * {@code POST /kite/{server}/{session}/xhr} to receive, {@code …/xhr_send} to send.
 */
class KiteJsSockJsXhrPollingTest extends KiteJsClientChecks {

	@Override
	String mode() {
		return "xhr-polling";
	}

	@Override
	String url(SampleApp app) {
		return app.httpUrl();
	}

	@Override
	void assertTransport(JsonNode value, SampleApp app) {
		assertThat(value.get("kind").asString()).isEqualTo("sockjs");
		assertThat(value.get("sockjsTransport").asString()).as("sockjs-client's transport").isEqualTo("xhr-polling");
		assertThat(value.get("url").asString()).isEqualTo(app.httpUrl());
	}

}
