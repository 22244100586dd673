package dev.kite.rpc;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeModule;
import dev.kite.dnode.KiteCallback;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits that protect a server from one peer, and the wire fixes found by probing:
 * each is hit here, in process, against the dispatcher.
 */
class KiteServerLimitsTests {

	private final JsonMapper mapper = JsonMapper.builder().addModule(new DnodeModule()).build();

	private final List<String> sent = new CopyOnWriteArrayList<>();

	private final KiteSession session = new KiteSession("s1", new DnodeConnection(this.mapper, this.sent::add), false,
			Runnable::run);

	private final KiteMethodRegistry registry = new KiteMethodRegistry();

	private final MutableClock clock = new MutableClock();

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final Logger logger = (Logger) LoggerFactory.getLogger(KiteDispatcher.class);

	@BeforeEach
	void captureLogs() {
		this.appender.start();
		this.logger.setLevel(Level.DEBUG);
		this.logger.addAppender(this.appender);
	}

	@AfterEach
	void releaseLogs() {
		this.logger.detachAppender(this.appender);
		this.logger.setLevel(null);
	}

	private KiteDispatcher dispatcher(java.util.concurrent.Executor executor, KiteServerLimits limits,
			KiteMethodInterceptor... interceptors) {
		return new KiteDispatcher(this.registry, new KiteAuthenticationManager(List.of()), List.of(),
				List.of(interceptors), executor, true, limits, this.clock, ObservationRegistry.NOOP, null);
	}

	private KiteDispatcher dispatcher(KiteMethodInterceptor... interceptors) {
		return dispatcher(Runnable::run, KiteServerLimits.defaults(), interceptors);
	}

	private static String call(String method, String withArgs, long callbackId) {
		return "{\"method\":\"" + method + "\",\"arguments\":[{\"responseCallback\":\"[Function]\",\"withArgs\":"
				+ withArgs + "}],\"callbacks\":{\"" + callbackId + "\":[0,\"responseCallback\"]}}";
	}

	private void open(String name, KiteMethodHandler handler) {
		this.registry.register(new KiteMethodDefinition(name, handler, false, "test " + name));
	}

	private JsonNode reply(int index) {
		return this.mapper.readTree(this.sent.get(index)).get("arguments").get(0);
	}

	private List<String> warnings() {
		return this.appender.list.stream()
			.filter((event) -> event.getLevel() == Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	@Test
	void callsBeyondTheInFlightLimitAreAnsweredWithRequestLimitError() {
		Queue<Runnable> queued = new ArrayDeque<>();
		open("m", (invocation) -> "ran");
		KiteDispatcher dispatcher = dispatcher(queued::add, new KiteServerLimits(2, 100, 10));
		for (int i = 0; i < 3; i++) {
			dispatcher.dispatch(this.session, call("m", "[]", i));
		}
		assertThat(this.session.inFlightCalls()).isEqualTo(2);
		assertThat(this.sent).hasSize(1); // the third, refused at once: never a silent
											// drop
		JsonNode error = reply(0).get("error");
		assertThat(error.get("type").stringValue()).isEqualTo("requestLimitError");
		assertThat(error.get("message").stringValue()).isEqualTo(KiteDispatcher.TOO_MANY_IN_FLIGHT);
		assertThat(error.get("id").stringValue()).matches("[0-9a-f]{16}");
		queued.forEach(Runnable::run);
		queued.clear();
		assertThat(this.session.inFlightCalls()).isZero();
		dispatcher.dispatch(this.session, call("m", "[]", 3));
		queued.forEach(Runnable::run);
		assertThat(this.sent).hasSize(4);
		assertThat(reply(3).get("result").stringValue()).isEqualTo("ran");
	}

	@Test
	void inFlightCountIncludesAsynchronousCallsUntilTheyComplete() {
		java.util.concurrent.CompletableFuture<String> result = new java.util.concurrent.CompletableFuture<>();
		open("slow", (invocation) -> result);
		KiteDispatcher dispatcher = dispatcher(Runnable::run, new KiteServerLimits(1, 100, 10));
		dispatcher.dispatch(this.session, call("slow", "[]", 0));
		dispatcher.dispatch(this.session, call("slow", "[]", 1));
		assertThat(this.sent).hasSize(1);
		assertThat(reply(0).get("error").get("type").stringValue()).isEqualTo("requestLimitError");
		result.complete("done");
		assertThat(this.session.inFlightCalls()).isZero();
		assertThat(reply(1).get("result").stringValue()).isEqualTo("done");
	}

	@Test
	void responseCallbacksNeverLeakOverAMillionCalls() {
		// In process with a sink: one connection, a million calls, and the callback
		// table (this side's functions) back at its baseline; replies hold nothing.
		AtomicLong replies = new AtomicLong();
		KiteSession sink = new KiteSession("sink",
				new DnodeConnection(this.mapper, (text) -> replies.incrementAndGet(), 100), false, Runnable::run);
		open("square", (invocation) -> invocation.argument(0).doubleValue() * invocation.argument(0).doubleValue());
		KiteDispatcher dispatcher = dispatcher();
		int baseline = sink.connection().callbackCount();
		String[] frames = new String[1024];
		for (int i = 0; i < frames.length; i++) {
			frames[i] = call("square", "[" + i + "]", i);
		}
		for (int i = 0; i < 1_000_000; i++) {
			dispatcher.dispatch(sink, frames[i & 1023]);
		}
		assertThat(replies.get()).isEqualTo(1_000_000);
		assertThat(sink.connection().callbackCount()).isEqualTo(baseline);
		assertThat(sink.inFlightCalls()).isZero();
		assertThat(sink.closeHookCount()).isZero();
	}

	@Test
	void theOldestArgumentCallbacksAreReleasedBeyondTheLimit() {
		DnodeConnection connection = new DnodeConnection(this.mapper, this.sent::add, 3);
		KiteCallback noop = (arguments) -> {
		};
		for (int i = 0; i < 5; i++) {
			connection.send("notify", noop);
		}
		assertThat(connection.callbackCount()).isEqualTo(3);
		assertThat(connection.callback(0)).isNull();
		assertThat(connection.callback(1)).isNull();
		assertThat(connection.callback(2)).isNotNull();
		assertThat(connection.callback(4)).isNotNull();
		connection.removeCallback(3);
		connection.send("notify", noop);
		assertThat(connection.callbackCount()).isEqualTo(3);
		assertThat(connection.callback(2)).isNotNull();
	}

	@Test
	void warningsAboutOnePeerAreRateLimitedAndSummarised() {
		KiteDispatcher dispatcher = dispatcher(Runnable::run, new KiteServerLimits(10, 100, 3));
		for (int i = 0; i < 1000; i++) {
			dispatcher.dispatch(this.session, "[]");
		}
		assertThat(warnings()).hasSize(3).allMatch((line) -> line.startsWith("Dropping a frame from session s1"));
		assertThat(this.appender.list).allMatch((event) -> event.getThrowableProxy() == null);
		this.clock.advance(Duration.ofMinutes(1));
		dispatcher.dispatch(this.session, "[]");
		assertThat(warnings()).hasSize(5);
		assertThat(warnings().get(3)).isEqualTo("997 more warnings about session s1 suppressed");
		assertThat(warnings().get(4)).startsWith("Dropping a frame from session s1");
		// Another peer has its own budget.
		KiteSession other = new KiteSession("s2", new DnodeConnection(this.mapper, this.sent::add), false,
				Runnable::run);
		dispatcher.dispatch(other, "[]");
		assertThat(warnings()).hasSize(6);
	}

	@Test
	void nonFiniteResultsAreAnsweredWithAnErrorNeverAString() {
		open("nan", (invocation) -> Double.NaN);
		open("inf", (invocation) -> Double.POSITIVE_INFINITY);
		open("negInfFloat", (invocation) -> Float.NEGATIVE_INFINITY);
		open("inRecord", (invocation) -> new Point(1, Double.NaN));
		KiteDispatcher dispatcher = dispatcher();
		List<String> methods = List.of("nan", "inf", "negInfFloat", "inRecord");
		Logger pipelineLogger = (Logger) LoggerFactory.getLogger(KiteInvocationPipeline.class);
		pipelineLogger.addAppender(this.appender);
		try {
			for (int i = 0; i < methods.size(); i++) {
				dispatcher.dispatch(this.session, call(methods.get(i), "[]", i));
			}
		}
		finally {
			pipelineLogger.detachAppender(this.appender);
		}
		// A peer's arguments can make a result non-finite: budgeted WARN lines, no
		// ERROR, no stack trace.
		assertThat(this.appender.list).noneMatch((event) -> event.getLevel() == Level.ERROR)
			.allMatch((event) -> event.getThrowableProxy() == null);
		assertThat(warnings()).hasSize(4).allMatch((line) -> line.contains("a result JSON cannot carry"));
		assertThat(this.sent).hasSize(4).noneMatch((frame) -> frame.contains("Infinity") || frame.contains("NaN"));
		for (int i = 0; i < 4; i++) {
			JsonNode reply = reply(i);
			assertThat(reply.get("result").isNull()).as(methods.get(i)).isTrue();
			assertThat(reply.get("error").get("type").stringValue()).as(methods.get(i)).isEqualTo("genericError");
		}
	}

	@Test
	void aLoneSurrogateInAnUnknownMethodNameIsEchoedEscaped() throws CharacterCodingException {
		dispatcher().dispatch(this.session, call("x\\ud800y\\udc00", "[]", 0));
		assertThat(this.sent).hasSize(1);
		// Sendable: it has a UTF-8 form (a lone surrogate has none).
		StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(this.sent.get(0)));
		// Escaped (DnodeConnection): kite.js reads back the same string, Go reads U+FFFD.
		assertThat(this.sent.get(0)).contains("x\\ud800y\\udc00");
		assertThat(reply(0).get("error").get("message").stringValue()).isEqualTo("Method not found: x\ud800y\udc00");
	}

	@Test
	void aThrottledMethodAnswersGosRequestLimitError() {
		this.registry.register(new KiteMethodDefinition("limited", (invocation) -> "ok", false, "test",
				new KiteThrottle(Duration.ofSeconds(1), 2, this.clock)));
		KiteDispatcher dispatcher = dispatcher();
		for (int i = 0; i < 3; i++) {
			dispatcher.dispatch(this.session, call("limited", "[]", i));
		}
		assertThat(reply(0).get("result").stringValue()).isEqualTo("ok");
		assertThat(reply(1).get("result").stringValue()).isEqualTo("ok");
		JsonNode error = reply(2).get("error");
		assertThat(error.get("type").stringValue()).isEqualTo("requestLimitError");
		assertThat(error.get("message").stringValue()).isEqualTo("The maximum request rate is exceeded.");
		assertThat(error.get("id").stringValue()).matches("[0-9a-f]{16}");
		assertThat(this.session.inFlightCalls()).isZero();
		this.clock.advance(Duration.ofSeconds(1));
		dispatcher.dispatch(this.session, call("limited", "[]", 3));
		assertThat(reply(3).get("result").stringValue()).isEqualTo("ok");
	}

	@Test
	void configuredThrottleReplacesTheMethodsOwnBeforeAndAfterRegistration() {
		KiteThrottle configured = new KiteThrottle(Duration.ofHours(1), 1, this.clock);
		this.registry.register(new KiteMethodDefinition("a", (invocation) -> "ok", false, "test",
				new KiteThrottle(Duration.ofMillis(1), 100, this.clock)));
		this.registry.throttle("a", configured);
		this.registry.throttle("b", configured);
		this.registry.register(new KiteMethodDefinition("b", (invocation) -> "ok", false, "test"));
		assertThat(this.registry.find("a").throttle()).isSameAs(configured);
		assertThat(this.registry.find("b").throttle()).isSameAs(configured);
	}

	@Test
	void interceptorsCanReplaceTheOutcomeAndChooseTheirMethods() {
		open("fails", (invocation) -> {
			throw new IllegalStateException("boom");
		});
		open("doubles", (invocation) -> 21);
		List<String> seen = new CopyOnWriteArrayList<>();
		KiteMethodInterceptor recovering = new KiteMethodInterceptor() {
			@Override
			public boolean appliesTo(KiteMethodDefinition method) {
				return method.name().equals("fails");
			}

			@Override
			public Object afterInvocation(KiteInvocation invocation, Object result, Throwable failure) {
				return "recovered from " + failure.getMessage();
			}
		};
		KiteMethodInterceptor doubling = new KiteMethodInterceptor() {
			@Override
			public Object afterInvocation(KiteInvocation invocation, Object result, Throwable failure)
					throws Throwable {
				if (failure != null) {
					throw failure;
				}
				return (result instanceof Integer number) ? number * 2 : result;
			}

			@Override
			public void afterCompletion(KiteInvocation invocation, Object result, Throwable failure) {
				seen.add(invocation.request().method() + "=" + result);
			}
		};
		KiteDispatcher dispatcher = dispatcher(doubling, recovering);
		dispatcher.dispatch(this.session, call("doubles", "[]", 0));
		dispatcher.dispatch(this.session, call("fails", "[]", 1));
		assertThat(reply(0).get("result").intValue()).isEqualTo(42);
		assertThat(reply(1).get("error").isNull()).isTrue();
		assertThat(reply(1).get("result").stringValue()).isEqualTo("recovered from boom");
		// The outer interceptor's afterCompletion sees the outcome the inner one decided.
		assertThat(seen).containsExactly("doubles=42", "fails=recovered from boom");
	}

	@Test
	void anInterceptorCanFailASuccessfulCall() {
		open("m", (invocation) -> "secret");
		KiteDispatcher dispatcher = dispatcher(new KiteMethodInterceptor() {
			@Override
			public Object afterInvocation(KiteInvocation invocation, Object result, Throwable failure) {
				throw new dev.kite.protocol.KiteException("accessDenied", "Not for you");
			}
		});
		dispatcher.dispatch(this.session, call("m", "[]", 0));
		assertThat(reply(0).get("error").get("type").stringValue()).isEqualTo("accessDenied");
		assertThat(reply(0).get("result").isNull()).isTrue();
	}

	record Point(double x, double y) {
	}

	static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public long millis() {
			return this.now.toEpochMilli();
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
