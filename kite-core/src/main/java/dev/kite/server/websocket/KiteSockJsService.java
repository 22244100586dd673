package dev.kite.server.websocket;

import java.net.InetSocketAddress;
import java.util.Collection;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.sockjs.SockJsException;
import org.springframework.web.socket.sockjs.transport.TransportHandler;
import org.springframework.web.socket.sockjs.transport.handler.DefaultSockJsService;

/**
 * Spring's SockJS service, plus a workaround for a Spring Framework 7.0.8 regression
 * (spring-projects/spring-framework#36904): an anonymous SockJS session is bound to the
 * remote IP <em>and port</em> of the request that opened it, so every {@code xhr_send}
 * (which kite.js, Go and our own client send on a second TCP connection while a poll is
 * pending) gets 404. 7.0.9 compares addresses only. When {@link SockJsRemotePortProbe}
 * finds the running Framework has the bug, this service hands the SockJS transports a
 * view of each request whose remote port is 0, which is what the fixed check amounts to;
 * on any other Framework it does nothing.
 *
 * <p>
 * Threads: stateless apart from its configuration; called on the container's request
 * threads.
 */
public class KiteSockJsService extends DefaultSockJsService {

	private final boolean remotePortWorkaround;

	/**
	 * @param scheduler runs heartbeats and session clean-up
	 * @param transportHandlers transport handlers replacing Spring's defaults of the same
	 * type
	 * @param remotePortWorkaround whether the running Framework needs the 7.0.8
	 * workaround
	 */
	KiteSockJsService(TaskScheduler scheduler, Collection<TransportHandler> transportHandlers,
			boolean remotePortWorkaround) {
		super(scheduler, transportHandlers);
		this.remotePortWorkaround = remotePortWorkaround;
	}

	/**
	 * Whether this service works around spring-framework#36904 (only on a Framework that
	 * has it).
	 * @return {@code true} when remote ports are hidden from Spring's session check
	 */
	public boolean isRemotePortWorkaround() {
		return this.remotePortWorkaround;
	}

	@Override
	protected void handleTransportRequest(ServerHttpRequest request, ServerHttpResponse response,
			WebSocketHandler wsHandler, String sessionId, String transport) throws SockJsException {
		if (this.remotePortWorkaround && request instanceof ServletServerHttpRequest servlet) {
			request = new PortlessRequest(servlet.getServletRequest());
		}
		super.handleTransportRequest(request, response, wsHandler, sessionId, transport);
	}

	/** The servlet request as Spring sees it, with the remote port hidden. */
	private static final class PortlessRequest extends ServletServerHttpRequest {

		PortlessRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public InetSocketAddress getRemoteAddress() {
			InetSocketAddress address = super.getRemoteAddress();
			return (address.getAddress() != null) ? new InetSocketAddress(address.getAddress(), 0)
					: InetSocketAddress.createUnresolved(address.getHostString(), 0);
		}

	}

}
