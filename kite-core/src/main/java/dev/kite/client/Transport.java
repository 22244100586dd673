package dev.kite.client;

/**
 * How a {@link KiteConnection} reaches a kite whose URL is a SockJS base URL such as
 * {@code http://host:3636/kite} (PROTOCOL §1.4). A {@code ws://} or {@code wss://} URL is
 * always dialed verbatim as a raw WebSocket, whatever the transport says.
 *
 * <p>
 * Which to choose: {@link #WEBSOCKET} (the Spring Boot default) and {@link #AUTO} (the
 * {@link KiteClientOptions} default) reach every kite, Go's included, since a Go kite
 * speaks only SockJS at {@code /kite}. Against our own server or kite.js,
 * {@link #RAW_WEBSOCKET} is faster: SockJS wraps every message in a JSON array of one
 * JSON string, an extra encoding and parsing pass on both sides of every message.
 */
public enum Transport {

	/**
	 * SockJS over WebSocket, falling back to SockJS XHR polling only when the WebSocket
	 * handshake fails on a server that answered the SockJS {@code /info} request (a
	 * network error fails the dial without a fallback, as in Go) or when the server
	 * reports {@code "websocket":false}.
	 */
	AUTO,

	/**
	 * SockJS over WebSocket: {@code {url}/{server}/{session}/websocket}. What Go clients
	 * use.
	 */
	WEBSOCKET,

	/** SockJS XHR polling: {@code {url}/{server}/{session}/xhr} and {@code xhr_send}. */
	XHR_POLLING,

	/**
	 * A raw WebSocket without SockJS framing at {@code {url}/websocket} ({@code http}
	 * becomes {@code ws}, {@code https} becomes {@code wss}). What kite.js uses by
	 * default; served by our server and by kite.js, but not by a Go kite unless it
	 * enabled {@code RawWebsocket}.
	 */
	RAW_WEBSOCKET

}
