package dev.kite.rpc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeModule;
import dev.kite.rpc.builtin.BuiltinKiteMethods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a caller names itself, its methods or its messages, each log statement stays
 * one line.
 */
class KiteDispatcherLogForgingTests {

	private static final String FORGED = "\n2026-01-01 00:00:00.000 ERROR [main] dev.kite.Admin : root password reset";

	private static final String ESCAPED = "\\n2026-01-01 00:00:00.000 ERROR";

	private final JsonMapper mapper = JsonMapper.builder().addModule(new DnodeModule()).build();

	private final List<String> sent = new CopyOnWriteArrayList<>();

	private final KiteSession session = new KiteSession("s1", new DnodeConnection(this.mapper, this.sent::add), false,
			Runnable::run);

	private final KiteMethodRegistry registry = new KiteMethodRegistry();

	private final KiteDispatcher dispatcher = new KiteDispatcher(this.registry,
			new KiteAuthenticationManager(List.of()), List.of(), List.of(), Runnable::run, true);

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final List<Logger> loggers = new CopyOnWriteArrayList<>();

	@BeforeEach
	void captureLogs() {
		this.appender.start();
		for (String name : List.of(KiteDispatcher.class.getName(), KiteInvocationPipeline.class.getName(),
				BuiltinKiteMethods.REMOTE_LOG_CATEGORY)) {
			Logger logger = (Logger) LoggerFactory.getLogger(name);
			logger.setLevel(Level.DEBUG);
			logger.addAppender(this.appender);
			this.loggers.add(logger);
		}
	}

	@AfterEach
	void releaseLogs() {
		for (Logger logger : this.loggers) {
			logger.detachAppender(this.appender);
			logger.setLevel(null);
		}
	}

	private static String call(String method, String name, String username) {
		String kite = "{\"name\":" + json(name) + ",\"username\":" + json(username)
				+ ",\"id\":\"c1\",\"environment\":\"e\",\"region\":\"r\",\"version\":\"1.0.0\",\"hostname\":\"h\"}";
		return "{\"method\":" + json(method) + ",\"arguments\":[{\"kite\":" + kite + ",\"withArgs\":[" + json(name)
				+ "]}]}";
	}

	private static String json(String text) {
		return "\"" + text.replace("\n", "\\n") + "\"";
	}

	private List<String> loggedLines() {
		assertThat(this.appender.list).isNotEmpty();
		return this.appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
	}

	@Test
	void callerNameAndUsernameInAnErrorLineAreEscaped() {
		this.registry.register(new KiteMethodDefinition("boom", (invocation) -> {
			throw new IllegalStateException("failed");
		}, false, "test"));
		this.dispatcher.dispatch(this.session, call("boom", "evil" + FORGED, "mallory" + FORGED));
		assertThat(loggedLines()).allSatisfy((line) -> assertThat(line).doesNotContain("\n", "\r"));
		assertThat(this.appender.list).filteredOn((event) -> event.getLevel() == Level.ERROR)
			.singleElement()
			.satisfies(
					(event) -> assertThat(event.getFormattedMessage()).contains("evil" + ESCAPED, "mallory" + ESCAPED));
	}

	@Test
	void unknownMethodNameIsEscaped() {
		this.dispatcher.dispatch(this.session, call("nope" + FORGED, "cli", "alice"));
		assertThat(loggedLines()).singleElement()
			.satisfies((line) -> assertThat(line).doesNotContain("\n").contains("nope" + ESCAPED));
	}

	@Test
	void malformedEnvelopeOfAMethodIsLoggedEscaped() {
		this.registry.register(new KiteMethodDefinition("m\r\n", (invocation) -> "ran", false, "test"));
		this.dispatcher.dispatch(this.session, "{\"method\":\"m\\r\\n\",\"arguments\":[{\"kite\":\"x\"}]}");
		assertThat(loggedLines()).singleElement()
			.satisfies((line) -> assertThat(line).doesNotContain("\n", "\r").contains("'m\\r\\n'"));
	}

	@Test
	void remoteLogMessagesAndTheirSenderAreEscaped() {
		BuiltinKiteMethods.registerAll(this.registry, new SimpleAsyncTaskScheduler());
		KiteDispatcher withoutAuthentication = new KiteDispatcher(this.registry,
				new KiteAuthenticationManager(List.of()), List.of(), List.of(), Runnable::run, false);
		String logCall = call("kite.log", "evil" + FORGED, "alice").replace("\"withArgs\":[",
				"\"withArgs\":[\"hello" + FORGED.replace("\n", "\\n") + "\",");
		withoutAuthentication.dispatch(this.session, logCall);
		assertThat(this.appender.list)
			.filteredOn((event) -> event.getLoggerName().equals(BuiltinKiteMethods.REMOTE_LOG_CATEGORY))
			.singleElement()
			.satisfies((event) -> assertThat(event.getFormattedMessage()).doesNotContain("\n")
				.isEqualTo("evil" + ESCAPED + " [main] dev.kite.Admin : root password reset: hello" + ESCAPED
						+ " [main] dev.kite.Admin : root password reset"));
	}

}
