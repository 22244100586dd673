package dev.kite.dnode;

import java.io.IOException;

/**
 * Puts one encoded dnode message (a JSON text) on the transport. Implementations must be
 * safe to call from several threads at once; the WebSocket handler uses Spring's bounded
 * {@code ConcurrentWebSocketSessionDecorator}.
 */
@FunctionalInterface
public interface MessageSender {

	/**
	 * Sends one message.
	 * @param text the dnode JSON
	 * @throws IOException when the transport fails
	 */
	void send(String text) throws IOException;

}
