package dev.kite.rpc.builtin;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeModule;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteSession;
import dev.kite.test.ManualTaskScheduler;
import org.junit.jupiter.api.Test;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class BuiltinKiteMethodsTests {

	private final JsonMapper mapper = JsonMapper.builder().addModule(new DnodeModule()).build();

	private final List<String> sent = new CopyOnWriteArrayList<>();

	// A dialed (trusted) session: Kontrol's heartbeat arrives on the connection the kite
	// opened.
	private final KiteSession session = new KiteSession("k", new DnodeConnection(this.mapper, this.sent::add), true,
			Runnable::run);

	private final ManualTaskScheduler scheduler = new ManualTaskScheduler();

	private final KiteDispatcher dispatcher;

	BuiltinKiteMethodsTests() {
		KiteMethodRegistry registry = new KiteMethodRegistry();
		BuiltinKiteMethods.registerAll(registry, this.scheduler);
		this.dispatcher = new KiteDispatcher(registry, new KiteAuthenticationManager(List.of()), List.of(), List.of(),
				Runnable::run, true);
	}

	private void call(String method, String withArgs) {
		this.dispatcher.dispatch(this.session,
				"{\"method\":\"" + method + "\",\"arguments\":[{\"kite\":null,"
						+ "\"authentication\":null,\"responseCallback\":\"[Function]\",\"withArgs\":" + withArgs + "}],"
						+ "\"callbacks\":{\"0\":[0,\"responseCallback\"],\"1\":[0,\"withArgs\",1]}}");
	}

	private static final String PING = "{\"method\":1,\"arguments\":[],\"callbacks\":{}}";

	@Test
	void heartbeatPingsBeforeAnsweringThenEveryIntervalUntilClose() {
		call("kite.heartbeat", "[1,\"[Function]\"]");
		assertThat(this.sent).containsExactly(PING,
				"{\"method\":0,\"arguments\":[{\"error\":null,\"result\":null}],\"callbacks\":{}}");
		this.sent.clear();
		this.scheduler.advance(Duration.ofMillis(999));
		assertThat(this.sent).isEmpty();
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(this.sent).containsExactly(PING);
		this.scheduler.advance(Duration.ofSeconds(2));
		assertThat(this.sent).containsExactly(PING, PING, PING);
		this.session.close();
		this.scheduler.advance(Duration.ofSeconds(10));
		assertThat(this.sent).hasSize(3);
		assertThat(this.scheduler.pending()).isEmpty();
	}

	@Test
	void heartbeatIntervalIsTruncatedToWholeSeconds() {
		call("kite.heartbeat", "[2.9,\"[Function]\"]");
		this.sent.clear();
		this.scheduler.advance(Duration.ofMillis(1999));
		assertThat(this.sent).isEmpty();
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(this.sent).containsExactly(PING);
	}

	@Test
	void aNewHeartbeatReplacesTheOldTimer() {
		call("kite.heartbeat", "[1,\"[Function]\"]");
		this.dispatcher.dispatch(this.session, "{\"method\":\"kite.heartbeat\",\"arguments\":[{\"responseCallback\":"
				+ "\"[Function]\",\"withArgs\":[1,\"[Function]\"]}],\"callbacks\":{\"5\":[0,\"responseCallback\"],"
				+ "\"6\":[0,\"withArgs\",1]}}");
		this.sent.clear();
		this.scheduler.advance(Duration.ofSeconds(3));
		assertThat(this.sent).hasSize(3).allMatch((frame) -> frame.startsWith("{\"method\":6,"));
		assertThat(this.scheduler.pending()).hasSize(1);
	}

	@Test
	void repeatedHeartbeatsKeepOneTimerAndOneCloseHook() {
		int baseline = this.session.closeHookCount();
		for (int i = 0; i < 100; i++) {
			this.dispatcher.dispatch(this.session,
					"{\"method\":\"kite.heartbeat\",\"arguments\":[{"
							+ "\"responseCallback\":\"[Function]\",\"withArgs\":[1,\"[Function]\"]}],\"callbacks\":{\""
							+ (2 * i) + "\":[0,\"responseCallback\"],\"" + (2 * i + 1) + "\":[0,\"withArgs\",1]}}");
		}
		assertThat(this.session.closeHookCount()).isEqualTo(baseline + 1);
		assertThat(this.scheduler.pending()).hasSize(1);
		this.session.close();
		assertThat(this.session.closeHookCount()).isZero();
		assertThat(this.scheduler.pending()).isEmpty();
	}

	@Test
	void heartbeatRefusesIntervalsThatWouldSpinOrOverflowBeforePinging() {
		// 0 and negatives would spin; NaN is no interval; Go's time.Duration holds at
		// most 9223372036 whole seconds, so 1e18 (and anything above the maximum) is
		// refused too, without a ping and without an ERROR line.
		for (String interval : List.of("0", "-1", "-1e18", "1e18", "9223372037", "1e308", "0.999")) {
			this.sent.clear();
			call("kite.heartbeat", "[" + interval + ",\"[Function]\"]");
			assertThat(this.sent).as(interval).hasSize(1);
			JsonNode error = this.mapper.readTree(this.sent.get(0)).get("arguments").get(0).get("error");
			assertThat(error.get("type").stringValue()).as(interval).isEqualTo("argumentError");
			assertThat(error.get("message").stringValue()).as(interval)
				.isEqualTo("The heartbeat interval must be between 1 and 9223372036 seconds");
		}
		assertThat(this.scheduler.pending()).isEmpty();
		assertThat(this.session.closeHookCount()).isZero();
	}

	@Test
	void heartbeatRefusesNaN() {
		// JSON has no NaN literal, but Jackson reads one when a peer's parser is lenient:
		// the handler sees the number as the reader gives it.
		JsonMapper lenient = JsonMapper.builder()
			.addModule(new DnodeModule())
			.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
			.build();
		KiteSession session = new KiteSession("n", new DnodeConnection(lenient, this.sent::add), true, Runnable::run);
		this.dispatcher.dispatch(session, "{\"method\":\"kite.heartbeat\",\"arguments\":[{\"responseCallback\":"
				+ "\"[Function]\",\"withArgs\":[NaN,\"[Function]\"]}],\"callbacks\":{\"0\":[0,\"responseCallback\"],"
				+ "\"1\":[0,\"withArgs\",1]}}");
		assertThat(this.sent).hasSize(1);
		assertThat(
				this.mapper.readTree(this.sent.get(0)).get("arguments").get(0).get("error").get("type").stringValue())
			.isEqualTo("argumentError");
		assertThat(this.scheduler.pending()).isEmpty();
	}

	@Test
	void heartbeatAcceptsGosLargestInterval() {
		call("kite.heartbeat", "[9223372036,\"[Function]\"]");
		assertThat(this.sent).hasSize(2);
		assertThat(this.mapper.readTree(this.sent.get(1)).get("arguments").get(0).get("error").isNull()).isTrue();
		assertThat(this.scheduler.pending()).hasSize(1);
	}

	@Test
	void heartbeatStopsWhenAPingCannotBeSent() {
		call("kite.heartbeat", "[1,\"[Function]\"]");
		this.session.connection().close(); // the transport went away; the session's hooks
											// have not run yet
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(this.scheduler.pending()).isEmpty();
	}

	@Test
	void heartbeatRefusesBadArguments() {
		for (String bad : List.of("[0.5,\"[Function]\"]", "[\"10\",\"[Function]\"]", "[10]", "[]")) {
			this.sent.clear();
			call("kite.heartbeat", bad);
			JsonNode reply = this.mapper.readTree(this.sent.get(this.sent.size() - 1));
			assertThat(reply.get("arguments").get(0).get("error").get("type").stringValue()).as(bad)
				.isEqualTo("argumentError");
		}
	}

	@Test
	void pingAnswersPongAndSystemInfoHasGoShape() {
		call("kite.ping", "null");
		call("kite.systemInfo", "[]");
		assertThat(this.sent.get(0))
			.isEqualTo("{\"method\":0,\"arguments\":[{\"error\":null,\"result\":\"pong\"}],\"callbacks\":{}}");
		JsonNode info = this.mapper.readTree(this.sent.get(1)).get("arguments").get(0).get("result");
		assertThat(info.propertyNames()).containsExactly("state", "diskUsage", "diskTotal", "memoryUsage",
				"totalMemoryLimit", "homeDir", "uname");
		assertThat(info.get("state").stringValue()).isEqualTo("RUNNING");
		assertThat(info.get("totalMemoryLimit").longValue()).isGreaterThan(info.get("memoryUsage").longValue())
			.isGreaterThan(0);
		assertThat(info.get("diskTotal").longValue()).isGreaterThanOrEqualTo(info.get("diskUsage").longValue());
		assertThat(info.get("uname").stringValue()).isEqualTo(System.getProperty("os.name").toLowerCase());
	}

	@Test
	void logNeedsAString() {
		call("kite.log", "[\"hello\"]");
		call("kite.log", "[42]");
		assertThat(this.sent.get(0)).contains("\"error\":null");
		assertThat(this.sent.get(1)).contains("argumentError");
	}

}
