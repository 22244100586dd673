package dev.kite.server.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

import dev.kite.rpc.sockjs.KiteSockJsMessageCodec;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
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
 * It also admits new sessions: a handshake (raw WebSocket, or the first request of a
 * SockJS session) is refused with 503 while the kite handler serves
 * {@code maxConnections} sessions, or, for SockJS, while the request's remote address
 * already has {@code maxSessionsPerAddress} SockJS sessions open. The refusal costs one
 * short response; other HTTP requests keep being served.
 *
 * <p>
 * Threads: stateless apart from its configuration; called on the container's request
 * threads; the counts it reads are the handler's concurrent ones.
 */
public class KiteSockJsService extends DefaultSockJsService {

	private final boolean remotePortWorkaround;

	private final KiteWebSocketHandler admission;

	private final int maxSessionsPerAddress;

	/**
	 * @param scheduler runs heartbeats and session clean-up
	 * @param transportHandlers transport handlers replacing Spring's defaults of the same
	 * type
	 * @param remotePortWorkaround whether the running Framework needs the 7.0.8
	 * workaround
	 * @param admission the handler whose sessions are counted
	 * @param maxSessionsPerAddress how many SockJS sessions one remote address may have
	 */
	KiteSockJsService(TaskScheduler scheduler, Collection<TransportHandler> transportHandlers,
			boolean remotePortWorkaround, KiteWebSocketHandler admission, int maxSessionsPerAddress) {
		super(scheduler, transportHandlers);
		this.remotePortWorkaround = remotePortWorkaround;
		this.admission = admission;
		this.maxSessionsPerAddress = maxSessionsPerAddress;
		// One pass each way instead of Jackson data binding (a customizer may replace
		// it).
		setMessageCodec(new KiteSockJsMessageCodec());
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
		// xhr_send never creates a session (Spring answers 404 for an unknown one).
		if (!"xhr_send".equals(transport) && !this.admission.hasSession(sessionId)) {
			String refusal = refusal(request.getRemoteAddress());
			if (refusal != null) {
				refuse(response, refusal);
				return;
			}
		}
		if (this.remotePortWorkaround && request instanceof ServletServerHttpRequest servlet) {
			request = new PortlessRequest(servlet.getServletRequest());
		}
		super.handleTransportRequest(request, response, wsHandler, sessionId, transport);
	}

	@Override
	protected void handleRawWebSocketRequest(ServerHttpRequest request, ServerHttpResponse response,
			WebSocketHandler handler) throws IOException {
		if (!this.admission.admitsConnection()) {
			refuse(response, "the connection limit is reached");
			return;
		}
		super.handleRawWebSocketRequest(request, response, handler);
	}

	private @Nullable String refusal(@Nullable InetSocketAddress remote) {
		if (!this.admission.admitsConnection()) {
			return "the connection limit is reached";
		}
		if (remote != null && remote.getAddress() != null
				&& this.admission.sockJsSessionsFrom(remote.getAddress()) >= this.maxSessionsPerAddress) {
			return "the address has " + this.maxSessionsPerAddress + " SockJS sessions";
		}
		return null;
	}

	private void refuse(ServerHttpResponse response, String reason) {
		this.admission.transportLog().warn("Refusing a kite session: {}", reason);
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		response.getHeaders().setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));
		try {
			response.getBody().write(("Service unavailable: " + reason + ".").getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			// The peer is gone: nothing to tell it.
		}
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
