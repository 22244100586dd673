package dev.kite.rpc.builtin;

import dev.kite.rpc.builtin.BuiltinKiteMethods;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeModule;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BuiltinKiteMethodsTests {

	private final JsonMapper mapper = JsonMapper.builder().addModule(new DnodeModule()).build();

	private final List<String> sent = new CopyOnWriteArrayList<>();

	// A dialed (trusted) session: Kontrol's heartbeat arrives on the connection the kite opened.
	private final KiteSession session = new KiteSession("k", new DnodeConnection(this.mapper, this.sent::add), true,
			Runnable::run);

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final KiteDispatcher dispatcher;

	BuiltinKiteMethodsTests() {
		this.scheduler.initialize();
		KiteMethodRegistry registry = new KiteMethodRegistry();
		BuiltinKiteMethods.registerAll(registry, this.scheduler);
		this.dispatcher = new KiteDispatcher(registry, new KiteAuthenticationManager(List.of()), List.of(), List.of(),
				Runnable::run, true);
	}

	@AfterEach
	void stop() {
		this.scheduler.shutdown();
	}

	private void call(String method, String withArgs) {
		this.dispatcher.dispatch(this.session, "{\"method\":\"" + method + "\",\"arguments\":[{\"kite\":null,"
				+ "\"authentication\":null,\"responseCallback\":\"[Function]\",\"withArgs\":" + withArgs + "}],"
				+ "\"callbacks\":{\"0\":[0,\"responseCallback\"],\"1\":[0,\"withArgs\",1]}}");
	}

	@Test
	void heartbeatPingsBeforeAnsweringThenEveryIntervalUntilClose() {
		call("kite.heartbeat", "[1,\"[Function]\"]");
		assertThat(this.sent).containsExactly("{\"method\":1,\"arguments\":[],\"callbacks\":{}}",
				"{\"method\":0,\"arguments\":[{\"error\":null,\"result\":null}],\"callbacks\":{}}");
		await().atMost(Duration.ofSeconds(3)).until(() -> this.sent.size() >= 3);
		assertThat(this.sent.get(2)).isEqualTo("{\"method\":1,\"arguments\":[],\"callbacks\":{}}");
		this.session.close();
		int afterClose = this.sent.size();
		await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
			.untilAsserted(() -> assertThat(this.sent).hasSize(afterClose));
	}

	@Test
	void aNewHeartbeatReplacesTheOldTimer() {
		call("kite.heartbeat", "[1,\"[Function]\"]");
		this.dispatcher.dispatch(this.session, "{\"method\":\"kite.heartbeat\",\"arguments\":[{\"responseCallback\":"
				+ "\"[Function]\",\"withArgs\":[1,\"[Function]\"]}],\"callbacks\":{\"5\":[0,\"responseCallback\"],"
				+ "\"6\":[0,\"withArgs\",1]}}");
		this.sent.clear();
		await().pollDelay(Duration.ofMillis(2300)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
			assertThat(this.sent).isNotEmpty().allMatch((frame) -> frame.startsWith("{\"method\":6,"));
		});
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
		assertThat(this.sent.get(0)).isEqualTo("{\"method\":0,\"arguments\":[{\"error\":null,\"result\":\"pong\"}],\"callbacks\":{}}");
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
