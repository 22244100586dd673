package dev.kite.server.websocket;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.ServerHttpAsyncRequestControl;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.scheduling.concurrent.ConcurrentTaskScheduler;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.sockjs.transport.SockJsSession;
import org.springframework.web.socket.sockjs.transport.SockJsSessionFactory;
import org.springframework.web.socket.sockjs.transport.TransportHandlingSockJsService;
import org.springframework.web.socket.sockjs.transport.TransportType;
import org.springframework.web.socket.sockjs.transport.handler.AbstractTransportHandler;
import org.springframework.web.socket.sockjs.transport.session.PollingSockJsSession;

/**
 * Finds out, by behaviour rather than by version number, whether the running Spring
 * Framework binds an anonymous SockJS session to the remote port of the request that
 * opened it (spring-projects/spring-framework#36904, Framework 7.0.8). It runs Spring's
 * own session lookup twice, in memory: one request opens a session from the loopback
 * address, port 40001; a second one for the same session comes from port 40002, as an
 * {@code xhr_send} on a second connection does. If Spring refuses the second one, the
 * workaround in {@link KiteSockJsService} is needed.
 *
 * <p>
 * Threads: runs once, on the thread that first asks; the result is cached. The scheduler
 * Spring's service needs for its clean-up task lives only for the probe.
 */
final class SockJsRemotePortProbe {

	private static final InetAddress ADDRESS = InetAddress.getLoopbackAddress();

	private static volatile @Nullable Boolean result;

	private SockJsRemotePortProbe() {
	}

	/**
	 * Whether the running Framework refuses a session's requests from a second remote
	 * port.
	 * @return {@code true} when the remote-port workaround is needed
	 */
	static boolean bindsSessionsToRemotePort() {
		Boolean known = result;
		if (known == null) {
			known = probe();
			result = known;
		}
		return known;
	}

	private static boolean probe() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "kite-sockjs-probe");
			thread.setDaemon(true);
			return thread;
		});
		try {
			ProbeTransportHandler transport = new ProbeTransportHandler();
			ProbeService service = new ProbeService(new ConcurrentTaskScheduler(executor), transport);
			service.handle(new ProbeRequest(40001));
			service.handle(new ProbeRequest(40002));
			return transport.requests.get() < 2;
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static final class ProbeService extends TransportHandlingSockJsService {

		private final WebSocketHandler handler = new AbstractWebSocketHandler() {
		};

		ProbeService(ConcurrentTaskScheduler scheduler, ProbeTransportHandler transport) {
			super(scheduler, List.of(transport));
		}

		void handle(ProbeRequest request) {
			handleTransportRequest(request, new ProbeResponse(), this.handler, "probe", TransportType.XHR_SEND.value());
		}

	}

	/**
	 * Counts the requests Spring lets through to the transport, and opens the session.
	 */
	private static final class ProbeTransportHandler extends AbstractTransportHandler implements SockJsSessionFactory {

		final AtomicInteger requests = new AtomicInteger();

		@Override
		public TransportType getTransportType() {
			return TransportType.XHR_SEND;
		}

		@Override
		public boolean checkSessionType(SockJsSession session) {
			return true;
		}

		@Override
		public void handleRequest(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
				SockJsSession session) {
			this.requests.incrementAndGet();
		}

		@Override
		public SockJsSession createSession(String sessionId, WebSocketHandler handler, Map<String, Object> attributes) {
			return new PollingSockJsSession(sessionId, getServiceConfig(), handler, attributes) {

				@Override
				public InetSocketAddress getRemoteAddress() {
					return new InetSocketAddress(ADDRESS, 40001);
				}

			};
		}

	}

	private static final class ProbeRequest implements ServerHttpRequest {

		private final int port;

		private final HttpHeaders headers = new HttpHeaders();

		private final Map<String, Object> attributes = new HashMap<>();

		ProbeRequest(int port) {
			this.port = port;
		}

		@Override
		public HttpMethod getMethod() {
			return HttpMethod.POST;
		}

		@Override
		public URI getURI() {
			return URI.create("http://localhost/kite/000/probe/xhr_send");
		}

		@Override
		public Map<String, Object> getAttributes() {
			return this.attributes;
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

		@Override
		public InputStream getBody() {
			return InputStream.nullInputStream();
		}

		@Override
		public @Nullable Principal getPrincipal() {
			return null;
		}

		@Override
		public InetSocketAddress getLocalAddress() {
			return new InetSocketAddress(ADDRESS, 80);
		}

		@Override
		public InetSocketAddress getRemoteAddress() {
			return new InetSocketAddress(ADDRESS, this.port);
		}

		@Override
		public ServerHttpAsyncRequestControl getAsyncRequestControl(ServerHttpResponse response) {
			throw new UnsupportedOperationException("The probe is synchronous");
		}

	}

	private static final class ProbeResponse implements ServerHttpResponse {

		private final HttpHeaders headers = new HttpHeaders();

		private final ByteArrayOutputStream body = new ByteArrayOutputStream();

		@Override
		public void setStatusCode(HttpStatusCode status) {
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

		@Override
		public OutputStream getBody() {
			return this.body;
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	}

}
