package dev.kite.autoconfigure.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.kite.server.websocket.KiteSockJsService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.SpringVersion;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.sockjs.support.SockJsHttpRequestHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts a kite application on a random port and talks to it over real sockets, byte for
 * byte as Go and kite.js peers do.
 */
@SpringBootTest(classes = TestKiteApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "kite.name=e2e", "kite.server.max-message-size=64KB" })
class KiteEndpointEndToEndTests {

	private static final String KITE = "{\"name\":\"tester\",\"username\":\"u\",\"id\":\"t1\",\"environment\":\"e\","
			+ "\"region\":\"r\",\"version\":\"1.0.0\",\"hostname\":\"h\"}";

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	WebSocketHandlerMapping kiteEndpointHandlerMapping;

	private String raw() {
		return "ws://127.0.0.1:" + this.port + "/kite/websocket";
	}

	private static String call(String method, String withArgs) {
		return "{\"method\":\"" + method + "\",\"arguments\":[{\"kite\":" + KITE + ",\"authentication\":null,"
				+ "\"withArgs\":" + withArgs + ",\"responseCallback\":\"[Function]\"}],"
				+ "\"callbacks\":{\"0\":[\"0\",\"responseCallback\"]},\"links\":[]}";
	}

	private JsonNode response(String frame) {
		JsonNode message = this.json.readTree(frame);
		assertThat(message.get("arguments")).hasSize(1);
		return message.get("arguments").get(0);
	}

	private JsonNode rawCall(String method, String withArgs) throws Exception {
		try (WireClient client = WireClient.connect(raw())) {
			client.send(call(method, withArgs));
			return response(client.next());
		}
	}

	@Test
	void sockJsWebSocketUsesGoFraming() throws Exception {
		try (WireClient client = WireClient
			.connect("ws://127.0.0.1:" + this.port + "/kite/472/9f0c3a7de1b24c5a8e61/websocket")) {
			assertThat(client.next()).isEqualTo("o");
			client.send(this.json.writeValueAsString(new String[] { call("square", "[4]") }));
			assertThat(client.next()).isEqualTo(
					"a[\"{\\\"method\\\":0,\\\"arguments\\\":[{\\\"error\\\":null,\\\"result\\\":16}],\\\"callbacks\\\":{}}\"]");
		}
	}

	@Test
	void xhrPollingServesCallsSentOnOtherConnections() throws Exception {
		// Each request on its own TCP connection (its own client port), as Go and
		// sockjs-client
		// poll on one connection while sending on another.
		String session = "http://127.0.0.1:" + this.port + "/kite/123/xhrsession1";
		HttpResponse<String> open = HttpClient.newHttpClient()
			.send(post(session + "/xhr", ""), HttpResponse.BodyHandlers.ofString());
		assertThat(open.statusCode()).isEqualTo(200);
		assertThat(open.body()).isEqualTo("o\n");
		String body = this.json.writeValueAsString(new String[] { call("square", "[5]") });
		HttpResponse<String> send = HttpClient.newHttpClient()
			.send(post(session + "/xhr_send", body), HttpResponse.BodyHandlers.ofString());
		assertThat(send.statusCode()).isEqualTo(204);
		HttpResponse<String> poll = HttpClient.newHttpClient()
			.send(post(session + "/xhr", ""), HttpResponse.BodyHandlers.ofString());
		assertThat(poll.body()).startsWith("a[").endsWith("]\n");
		String[] frames = this.json.readValue(poll.body().substring(1).trim(), String[].class);
		assertThat(response(frames[0]).get("result").doubleValue()).isEqualTo(25.0);
	}

	private static HttpRequest post(String uri, String body) {
		return HttpRequest.newBuilder(URI.create(uri))
			.header("Content-Type", "text/plain")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	@Test
	void theRemotePortWorkaroundIsOffOnAFixedFramework() {
		// Only Framework 7.0.8 needs it (compat-tests proves that); here it would hide a
		// regression.
		SockJsHttpRequestHandler handler = (SockJsHttpRequestHandler) this.kiteEndpointHandlerMapping.getUrlMap()
			.get("/kite/**");
		assertThat(SpringVersion.getVersion()).isNotEqualTo("7.0.8");
		assertThat(((KiteSockJsService) handler.getSockJsService()).isRemotePortWorkaround()).isFalse();
	}

	@Test
	void infoAndWelcomeLookLikeSockJs() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<String> welcome = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/kite")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(welcome.body()).isEqualTo("Welcome to SockJS!\n");
		HttpResponse<String> info = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/kite/info")).build(),
				HttpResponse.BodyHandlers.ofString());
		JsonNode body = this.json.readTree(info.body());
		assertThat(body.get("websocket").booleanValue()).isTrue();
		assertThat(body.get("cookie_needed").booleanValue()).isFalse();
	}

	@Test
	void bindsGenericsRecordsRequestFactsAndRawNodes() throws Exception {
		assertThat(rawCall("sum", "[[1,2,3]]").get("result").intValue()).isEqualTo(6);
		assertThat(rawCall("move", "[{\"x\":1,\"y\":2},3]").get("result").toString()).isEqualTo("{\"x\":4,\"y\":2}");
		assertThat(rawCall("whoCalls", "[{\"a\":1}]").get("result").stringValue())
			.isEqualTo("tester:whoCalls:{\"a\":1}:16");
		assertThat(rawCall("later", "[\"hi\"]").get("result").stringValue()).isEqualTo("HI");
	}

	@Test
	void callsTheCallersFunctionBeforeAnswering() throws Exception {
		try (WireClient client = WireClient.connect(raw())) {
			client.send("{\"method\":\"countdown\",\"arguments\":[{\"kite\":" + KITE
					+ ",\"withArgs\":[3,\"[Function]\"],"
					+ "\"responseCallback\":\"[Function]\"}],\"callbacks\":{\"0\":[\"0\",\"responseCallback\"],\"1\":[\"0\",\"withArgs\",\"1\"]}}");
			assertThat(client.next()).isEqualTo("{\"method\":1,\"arguments\":[3],\"callbacks\":{}}");
			assertThat(client.next()).isEqualTo("{\"method\":1,\"arguments\":[2],\"callbacks\":{}}");
			assertThat(client.next()).isEqualTo("{\"method\":1,\"arguments\":[1],\"callbacks\":{}}");
			assertThat(client.next())
				.isEqualTo("{\"method\":0,\"arguments\":[{\"error\":null,\"result\":null}],\"callbacks\":{}}");
		}
	}

	@Test
	void errorsAreMappedAndNeverLeakInternals() throws Exception {
		JsonNode notFound = rawCall("lookup", "[\"k\"]").get("error");
		assertThat(notFound.get("type").stringValue()).isEqualTo("notFound");
		assertThat(notFound.get("message").stringValue()).isEqualTo("No such entry");
		assertThat(notFound.get("code").stringValue()).isEqualTo("404");
		assertThat(notFound.get("id").stringValue()).matches("[0-9a-f]{16}");
		JsonNode crash = rawCall("crash", "[]").get("error");
		assertThat(crash.get("type").stringValue()).isEqualTo("genericError");
		assertThat(crash.toString()).doesNotContain("jdbc").doesNotContain("IllegalState");
		assertThat(crash.get("message").stringValue()).contains(crash.get("id").stringValue());
		JsonNode secret = rawCall("secret", "[]").get("error");
		assertThat(secret.get("type").stringValue()).isEqualTo("authenticationError");
		assertThat(secret.get("message").stringValue()).isEqualTo("No authentication information is provided");
		JsonNode badArgument = rawCall("square", "[\"abc\"]").get("error");
		assertThat(badArgument.get("type").stringValue()).isEqualTo("argumentError");
		assertThat(badArgument.get("message").stringValue())
			.isEqualTo("Argument 0 of square cannot be read as a number");
		JsonNode missing = rawCall("square", "[]").get("error");
		assertThat(missing.get("message").stringValue()).isEqualTo("Argument 0 of square is missing");
		JsonNode nullNumber = rawCall("square", "[null]").get("error");
		assertThat(nullNumber.get("message").stringValue()).isEqualTo("Argument 0 of square must not be null");
		JsonNode extra = rawCall("square", "[1,2]").get("error");
		assertThat(extra.get("type").stringValue()).isEqualTo("argumentError");
		assertThat(extra.get("message").stringValue()).isEqualTo("square takes 1 argument, got 2");
	}

	@Test
	void badFramesAreDroppedAndTheConnectionKeepsWorking() throws Exception {
		try (WireClient client = WireClient.connect(raw())) {
			client.send("this is not json");
			client.send("[1,2,3]");
			client.send("{\"method\":\"square\",\"arguments\":{}}");
			client.send("{\"method\":77,\"arguments\":[1]}");
			client.send("{\"method\":\"square\",\"arguments\":[\"[Function]\"],\"callbacks\":{\"0\":[0]}}");
			client.send("{\"method\":\"square\",\"arguments\":[{\"responseCallback\":\"[Function]\"}],"
					+ "\"callbacks\":{\"0\":[0,\"responseCallback\"],\"1\":[5,\"x\"],\"2\":[0,\"nothing\",3]}}");
			JsonNode reply = response(client.next());
			assertThat(reply.get("error").get("message").stringValue()).isEqualTo("Argument 0 of square is missing");
			client.send(call("square", "[3]"));
			assertThat(response(client.next()).get("result").doubleValue()).isEqualTo(9.0);
			assertThat(client.poll(Duration.ofMillis(200))).isNull();
		}
	}

	@Test
	void oversizedMessagesCloseOnlyTheirSessionWith1009() throws Exception {
		try (WireClient bystander = WireClient.connect(raw()); WireClient offender = WireClient.connect(raw())) {
			String big = "x".repeat(60 * 1024);
			offender.send(call("echoSize", "[\"" + big + "\"]"));
			assertThat(response(offender.next()).get("result").intValue()).isEqualTo(big.length());
			offender.send(call("echoSize", "[\"" + "y".repeat(70 * 1024) + "\"]"));
			assertThat(offender.awaitClose()).isEqualTo(1009);
			bystander.send(call("square", "[2]"));
			assertThat(response(bystander.next()).get("result").doubleValue()).isEqualTo(4.0);
		}
		assertThat(rawCall("kite.ping", "null").get("result").stringValue()).isEqualTo("pong");
	}

	@Test
	void systemInfoNeedsAuthenticationLikeGo() throws Exception {
		assertThat(rawCall("kite.systemInfo", "[]").get("error").get("type").stringValue())
			.isEqualTo("authenticationError");
		assertThat(rawCall("kite.heartbeat", "[10]").get("error").get("type").stringValue())
			.isEqualTo("authenticationError");
		assertThat(rawCall("kite.print", "[\"hi\"]").get("error").get("type").stringValue())
			.isEqualTo("methodNotFound");
	}

}
