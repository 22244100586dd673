package dev.kite.server.websocket;

import java.time.Duration;
import java.util.Map;

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
 * the Go client takes as the end of the session. Here a successive poll that arrives
 * while the previous one is handing over (its frame written) waits, briefly and without
 * spinning, to be notified of the release; a poll that overlaps one still waiting for a
 * frame (a real second poller) gets 2010 at once. Its sessions bound the replies that
 * wait for a poll in bytes ({@link BudgetedPollingSockJsSession}).
 *
 * <p>
 * Threads: runs on the servlet container's request thread; the wait is bounded by the
 * handover timeout, happens only during a handover and parks on a monitor.
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
		if (session.isActive() && session instanceof BudgetedPollingSockJsSession budgeted) {
			budgeted.awaitHandover(this.handoverNanos);
		}
		super.handleRequestInternal(request, response, session);
	}

}
