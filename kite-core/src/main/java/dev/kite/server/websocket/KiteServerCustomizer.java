package dev.kite.server.websocket;

/**
 * Customizes the kite endpoint's SockJS service after the kite settings are applied and
 * before it serves requests: e.g. add a
 * {@link org.springframework.web.socket.server.HandshakeInterceptor} (add to
 * {@code getHandshakeInterceptors()} rather than replacing the list, which holds the
 * origin check), set a client library URL, or suppress CORS headers.
 *
 * <p>
 * Spring Boot applies every customizer bean, in {@link org.springframework.core.Ordered
 * order}. Customizers run once, on the thread that builds the endpoint, before any
 * request arrives.
 */
@FunctionalInterface
public interface KiteServerCustomizer {

	/**
	 * Customizes the endpoint's SockJS service (which also serves the raw WebSocket
	 * path).
	 * @param sockJsService the service
	 */
	void customize(KiteSockJsService sockJsService);

}
