package dev.kite.server.websocket;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.sockjs.SockJsException;
import org.springframework.web.socket.sockjs.transport.handler.XhrPollingTransportHandler;
import org.springframework.web.socket.sockjs.transport.session.AbstractHttpSockJsSession;
import org.springframework.web.socket.sockjs.transport.session.PollingSockJsSession;

/**
 * SockJS XHR polling that tolerates the Go kite's polling loop. The Go client reads a
 * poll's frame and polls again at once, without waiting for the response to end; the new
 * poll can reach the server while it is still finishing the previous one. Spring's
 * handler answers such a poll with {@code c[2010,"Another connection still open"]}, which
 * the Go client takes as the end of the session. Here a successive poll first waits,
 * briefly, for the previous one to hand over; a poll that overlaps a live one for longer
 * (a real second poller) still gets 2010. Its sessions bound the replies that wait for a
 * poll in bytes ({@link BudgetedPollingSockJsSession}).
 *
 * <p>
 * Threads: runs on the servlet container's request thread; the wait is bounded and only
 * happens when two polls of one session overlap.
 */
final class HandoverXhrPollingTransportHandler extends XhrPollingTransportHandler {

	private final long handoverNanos;

	private final long byteLimit;

	/**
	 * @param handover how long a new poll waits for the previous one of its session to
	 * finish
	 * @param byteLimit how many bytes of replies a session may hold for its next poll
	 */
	HandoverXhrPollingTransportHandler(Duration handover, long byteLimit) {
		this.handoverNanos = handover.toNanos();
		this.byteLimit = byteLimit;
	}

	@Override
	public PollingSockJsSession createSession(String sessionId, WebSocketHandler handler,
			Map<String, Object> attributes) {
		return new BudgetedPollingSockJsSession(sessionId, getServiceConfig(), handler, attributes, this.byteLimit);
	}

	@Override
	protected void handleRequestInternal(ServerHttpRequest request, ServerHttpResponse response,
			AbstractHttpSockJsSession session) throws SockJsException {
		if (session.isActive()) {
			long deadline = System.nanoTime() + this.handoverNanos;
			while (session.isActive() && System.nanoTime() < deadline) {
				LockSupport.parkNanos(200_000);
			}
		}
		super.handleRequestInternal(request, response, session);
	}

}
