package dev.kite.interop;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ways kite.js 1.0.13 reaches the sample app: the Node scripts' mode argument, the
 * URL kite.js is given, and what the script's {@code transport} check must report (the
 * transport kite.js really used).
 */
enum KiteJsTransport {

	/**
	 * kite.js's default transport: the {@code ws} WebSocket, raw dnode frames, no SockJS
	 * framing, at {@code ws://127.0.0.1:PORT/kite/websocket}.
	 */
	RAW("raw", SampleApp::rawWebSocketUrl, "ws", null),

	/**
	 * {@code transportClass: Kite.transport.SockJS} at
	 * {@code http://127.0.0.1:PORT/kite}: sockjs-client reads {@code /kite/info} and
	 * opens its WebSocket transport ({@code /kite/{server}/{session}/websocket}, SockJS
	 * framing) — how kite.js reaches Go kites.
	 */
	SOCKJS("sockjs", SampleApp::httpUrl, "sockjs", "websocket"),

	/**
	 * SockJS forced to XHR polling ({@code transportOptions: { transports:
	 * ['xhr-polling'] }}, sockjs-client's transport whitelist): {@code POST
	 * /kite/{server}/{session}/xhr} to receive, {@code …/xhr_send} to send.
	 */
	XHR_POLLING("xhr-polling", SampleApp::httpUrl, "sockjs", "xhr-polling");

	private final String mode;

	private final Function<SampleApp, String> url;

	private final String kind;

	private final @Nullable String sockjsTransport;

	KiteJsTransport(String mode, Function<SampleApp, String> url, String kind, @Nullable String sockjsTransport) {
		this.mode = mode;
		this.url = url;
		this.kind = kind;
		this.sockjsTransport = sockjsTransport;
	}

	/** The scripts' mode argument. */
	String mode() {
		return this.mode;
	}

	/** The URL kite.js is given. */
	String url(SampleApp app) {
		return this.url.apply(app);
	}

	/**
	 * Asserts the {@code transport} check's value: kite.js used this transport at this
	 * URL.
	 * @param value the check's value
	 * @param app the sample app
	 */
	void assertUsedBy(JsonNode value, SampleApp app) {
		assertThat(value.get("kind").asString()).isEqualTo(this.kind);
		if (this.sockjsTransport == null) {
			assertThat(value.get("sockjsTransport").isNull()).isTrue();
		}
		else {
			assertThat(value.get("sockjsTransport").asString()).as("sockjs-client's transport")
				.isEqualTo(this.sockjsTransport);
		}
		assertThat(value.get("url").asString()).isEqualTo(url(app));
	}

}
