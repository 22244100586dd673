package dev.kite.server.websocket;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Closing a session at shutdown writes the replies already queued for it before the close
 * frame.
 */
class SessionOutboxCloseTests {

	/** What the session saw, in order: "text:…" for a message, "close:…" for a close. */
	private final List<String> events = new CopyOnWriteArrayList<>();

	/** The executor's tasks, run when the test says so. */
	private final Queue<Runnable> tasks = new ArrayDeque<>();

	private final SessionOutbox outbox = new SessionOutbox(session(), this.tasks::add, 1024, new TransportLog(), 0);

	@Test
	void closeWhenWrittenWritesWhatIsQueuedFirst() throws IOException {
		this.outbox.send(new TextMessage("reply 1"));
		this.outbox.send(new TextMessage("reply 2"));
		this.outbox.closeWhenWritten(CloseStatus.GOING_AWAY);
		assertThatIOException().isThrownBy(() -> this.outbox.send(new TextMessage("late")));
		runTasks();
		assertThat(this.events).containsExactly("text:reply 1", "text:reply 2", "close:1001");
	}

	@Test
	void closeWhenWrittenWithNothingQueuedClosesAtOnce() {
		this.outbox.closeWhenWritten(CloseStatus.GOING_AWAY);
		this.outbox.closeWhenWritten(CloseStatus.GOING_AWAY);
		runTasks();
		assertThat(this.events).containsExactly("close:1001");
	}

	private void runTasks() {
		Runnable task;
		while ((task = this.tasks.poll()) != null) {
			task.run();
		}
	}

	private WebSocketSession session() {
		return (WebSocketSession) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { WebSocketSession.class }, (proxy, method, args) -> switch (method.getName()) {
					case "getId" -> "s1";
					case "isOpen" -> true;
					case "sendMessage" -> {
						this.events.add("text:" + ((TextMessage) args[0]).getPayload());
						yield null;
					}
					case "close" -> {
						this.events.add("close:" + ((args != null) ? ((CloseStatus) args[0]).getCode() : 1000));
						yield null;
					}
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					case "toString" -> "session s1";
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

}
