package dev.kite.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of the RFC 6455 opening handshake over HTTP/1.1: the upgrade request
 * and the check of the server's {@code 101} answer, its {@code Sec-WebSocket-Accept}
 * included.
 *
 * <p>
 * Threads: stateless; safe for any thread.
 */
final class WebSocketHandshake {

	private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private WebSocketHandshake() {
	}

	/**
	 * A fresh {@code Sec-WebSocket-Key}: 16 random bytes, base64 (a nonce, not a secret).
	 * @return the key
	 */
	static String newKey() {
		byte[] nonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(nonce);
		return Base64.getEncoder().encodeToString(nonce);
	}

	/**
	 * The upgrade request.
	 * @param hostAndPort the {@code Host} header's value
	 * @param path the request target, e.g. {@code /kite/123/abc/websocket}
	 * @param key the {@code Sec-WebSocket-Key}
	 * @return the request's bytes
	 */
	static byte[] request(String hostAndPort, String path, String key) {
		return ("GET " + path + " HTTP/1.1\r\nHost: " + hostAndPort
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
				+ "\r\nSec-WebSocket-Version: 13\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * The {@code Sec-WebSocket-Accept} a server must answer to {@code key}.
	 * @param key the request's key
	 * @return base64 of SHA-1 of the key and RFC 6455's GUID
	 */
	static String accept(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required of every JDK", ex);
		}
	}

	/**
	 * The end of the response's head ({@code \r\n\r\n}) among bytes read so far.
	 * @param bytes the bytes
	 * @param from where they start
	 * @param to where they end
	 * @return the index just past the head, or -1 when it is not complete yet
	 */
	static int headEnd(byte[] bytes, int from, int to) {
		for (int i = from; i + 3 < to; i++) {
			if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
				return i + 4;
			}
		}
		return -1;
	}

	/**
	 * Checks the server's answer: {@code 101}, {@code Upgrade: websocket},
	 * {@code Connection: Upgrade} and the accept value of our key.
	 * @param head the response's head (status line and headers)
	 * @param key the key the request sent
	 * @throws IOException when the server did not accept the upgrade as RFC 6455 says
	 */
	static void check(String head, String key) throws IOException {
		String[] lines = head.split("\r\n");
		if (!lines[0].startsWith("HTTP/1.1 101")) {
			throw new IOException("WebSocket upgrade refused: " + lines[0]);
		}
		String upgrade = null;
		String connection = null;
		String accept = null;
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon <= 0) {
				continue;
			}
			String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
			String value = lines[i].substring(colon + 1).trim();
			switch (name) {
				case "upgrade" -> upgrade = value;
				case "connection" -> connection = value;
				case "sec-websocket-accept" -> accept = value;
				default -> {
				}
			}
		}
		if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
			throw new IOException("WebSocket upgrade answered Upgrade: " + upgrade);
		}
		if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
			throw new IOException("WebSocket upgrade answered Connection: " + connection);
		}
		String expected = accept(key);
		if (!expected.equals(accept)) {
			throw new IOException(
					"WebSocket upgrade answered Sec-WebSocket-Accept: " + accept + " instead of " + expected);
		}
	}

}
