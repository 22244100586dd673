package dev.kite.server.websocket;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kite.rpc.KiteWebSocketLimits;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.sockjs.support.SockJsHttpRequestHandler;
import org.springframework.web.socket.sockjs.transport.TransportHandler;

/**
 * Builds the kite endpoint: one {@link KiteSockJsService} at
 * {@link KiteEndpointSettings#path()}, serving {@code /info}, the SockJS WebSocket and
 * XHR transports and the raw {@code /websocket}, all through one
 * {@link KiteWebSocketHandler}, behind a {@link WebSocketHandlerMapping} to declare as a
 * bean (Spring MVC's {@code DispatcherServlet} picks it up and the context starts and
 * stops it).
 *
 * <p>
 * What it adds to Spring's defaults, each for a reason a peer has shown:
 * <ul>
 * <li>the XHR poll handover for Go's polling loop, with replies that wait for a poll
 * bounded in count and bytes per session;</li>
 * <li>{@code xhr_send} bodies bounded at {@code 4 × maxMessageSize + 1 KiB} bytes (JSON
 * quoting of the dnode text can double it, UTF-8 more), refused with 413 beyond;</li>
 * <li>SockJS WebSocket frames taken in parts and joined only as far as a frame needs, up
 * to {@code 2 × maxMessageSize + 1 KiB} characters, so an idle connection keeps no large
 * buffer;</li>
 * <li>the same origin check on WebSocket upgrades as on the HTTP transports: same-origin
 * browser pages and the configured patterns only, clients without an {@code Origin}
 * always;</li>
 * <li>connection admission: 503 beyond {@link KiteWebSocketLimits#maxConnections()}
 * sessions, or {@link KiteEndpointSettings#maxSessionsPerAddress()} SockJS sessions from
 * one address;</li>
 * <li>the handler's watchdog ({@link KiteWebSocketHandler#checkSessions()}) on the
 * scheduler: stuck writes, raw WebSocket pings and idle timeouts;</li>
 * <li>on Spring Framework 7.0.8 only, the remote-port workaround of
 * {@link KiteSockJsService}.</li>
 * </ul>
 *
 * <p>
 * Threads: builds everything in its constructor, on the caller's thread; the customizers
 * run there too.
 */
public final class KiteEndpointRegistrar {

	private final KiteSockJsService sockJsService;

	private final SockJsHttpRequestHandler httpHandler;

	private final String path;

	/**
	 * @param handler the kite handler behind every transport
	 * @param settings the endpoint settings
	 * @param scheduler runs SockJS heartbeats, session clean-up and the handler's
	 * watchdog
	 * @param customizers applied in order to the SockJS service, after the settings
	 */
	public KiteEndpointRegistrar(KiteWebSocketHandler handler, KiteEndpointSettings settings, TaskScheduler scheduler,
			List<? extends KiteServerCustomizer> customizers) {
		this.path = settings.path();
		long maxMessageSize = handler.limits().maxMessageSize();
		int frameLimit = (int) Math.min(Integer.MAX_VALUE, 2L * maxMessageSize + 1024);
		int bodyLimit = (int) Math.min(Integer.MAX_VALUE - 1, 4L * maxMessageSize + 1024);
		List<TransportHandler> transports = List.of(
				new PartialSockJsWebSocketTransportHandler(new DefaultHandshakeHandler(), frameLimit,
						handler.limits().sendTimeLimit().toMillis()),
				new HandoverXhrPollingTransportHandler(settings.xhrHandoverTimeout(),
						settings.httpMessageCacheByteLimit()),
				new BoundedXhrReceivingTransportHandler(bodyLimit, handler.transportLog()));
		KiteSockJsService service = new KiteSockJsService(scheduler, transports,
				SockJsRemotePortProbe.bindsSessionsToRemotePort(), handler, settings.maxSessionsPerAddress());
		service.setSessionCookieNeeded(false);
		service.setWebSocketEnabled(settings.webSocketEnabled());
		service.setHeartbeatTime(settings.heartbeatTime().toMillis());
		service.setDisconnectDelay(settings.disconnectDelay().toMillis());
		service.setHttpMessageCacheSize(settings.httpMessageCacheSize());
		service.setAllowedOriginPatterns(settings.allowedOriginPatterns());
		// The SockJS service checks the origin of HTTP requests only; WebSocket upgrades
		// (SockJS and
		// raw) need the interceptor. With no patterns both allow same-origin pages only.
		OriginHandshakeInterceptor origins = new OriginHandshakeInterceptor();
		origins.setAllowedOriginPatterns(settings.allowedOriginPatterns());
		service.getHandshakeInterceptors().add(origins);
		for (KiteServerCustomizer customizer : customizers) {
			customizer.customize(service);
		}
		this.sockJsService = service;
		this.httpHandler = new SockJsHttpRequestHandler(service, handler);
		scheduler.scheduleAtFixedRate(handler::checkSessions, watchdogPeriod(handler.limits()));
	}

	/**
	 * A quarter of the shortest limit the watchdog enforces (between 10 ms and 1 s), so a
	 * stuck write or a silent peer is acted on at most a quarter late.
	 */
	static Duration watchdogPeriod(KiteWebSocketLimits limits) {
		Duration shortest = limits.sendTimeLimit();
		Duration silence = limits.idleTimeout().minus(limits.pingInterval());
		for (Duration limit : List.of(limits.pingInterval(), silence)) {
			if (limit.compareTo(shortest) < 0) {
				shortest = limit;
			}
		}
		Duration period = shortest.dividedBy(4);
		if (period.compareTo(Duration.ofMillis(10)) < 0) {
			return Duration.ofMillis(10);
		}
		return (period.compareTo(Duration.ofSeconds(1)) > 0) ? Duration.ofSeconds(1) : period;
	}

	/** The SockJS service, as configured and customized. */
	public KiteSockJsService sockJsService() {
		return this.sockJsService;
	}

	/**
	 * A handler mapping for the endpoint's path and everything under it, ordered like the
	 * one {@code @EnableWebSocket} declares (1), ahead of Spring MVC's controllers and
	 * resources.
	 * @return a new mapping, to declare as a bean
	 */
	public WebSocketHandlerMapping handlerMapping() {
		WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
		mapping.setUrlMap(Map.of(this.path + "/**", this.httpHandler));
		mapping.setOrder(1);
		return mapping;
	}

}
