package dev.kite.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.test.ManualTaskScheduler;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A connection whose endpoint is resolved before every dial: what the resolver is told,
 * what gets dialed and sent, and how a failed or late resolution follows the reconnect
 * policy — against dials the test holds open and a scheduler whose time the test moves.
 */
class KiteConnectionResolverTest {

	private static final URI LABEL = URI.create("kontrol:/alice/production/math");

	private static final URI FIRST = URI.create("ws://first.test/kite/websocket");

	private static final URI SECOND = URI.create("ws://second.test/kite/websocket");

	/** Fixed 1 s, 2 s, 4 s … backoff without jitter. */
	private static final ReconnectPolicy BACKOFF = new ReconnectPolicy(true, Duration.ofSeconds(1), 2, 0,
			Duration.ofSeconds(60));

	private final JsonMapper json = JsonMapper.builder().build();

	private final ManualTaskScheduler scheduler = new ManualTaskScheduler();

	private final HeldWebSocketClient webSocket = new HeldWebSocketClient();

	private final ScriptedResolver resolver = new ScriptedResolver();

	private KiteClientFactory factory;

	@BeforeEach
	void createFactory() {
		this.factory = KiteClientFactory.builder()
			.webSocketClient(this.webSocket)
			.taskScheduler(this.scheduler)
			.build();
	}

	@AfterEach
	void closeFactory() {
		this.factory.close();
	}

	private KiteConnection connection(ReconnectPolicy reconnect) {
		return this.factory.create(KiteClientOptions.builder(LABEL)
			.endpointResolver(this.resolver)
			.reconnect(reconnect)
			.timeout(Duration.ofSeconds(30))
			.connectTimeout(Duration.ofSeconds(15))
			.build());
	}

	private static KiteEndpoint endpoint(URI url, String token, String id) {
		return new KiteEndpoint(url, new Auth(Auth.TOKEN, token),
				new Kite("math", "alice", id, "production", "eu", "1.0.0", "host"));
	}

	@Test
	void theResolvedUrlIsDialedAndItsAuthSentWithCalls() throws Exception {
		KiteConnection connection = connection(ReconnectPolicy.disabled());
		connection.connect();
		ScriptedResolver.Request first = this.resolver.next();
		assertThat(first.previous).isNull();
		assertThat(first.reason).isEqualTo(KiteEndpointResolver.Reason.FIRST_DIAL);
		assertThat(this.webSocket.dials).as("nothing dialed before the resolution").isEmpty();
		assertThat(connection.currentUrl()).isEqualTo(LABEL);

		KiteEndpoint chosen = endpoint(FIRST, "token-1", "id-1");
		first.answer.complete(chosen);
		FakeWebSocketClient.FakeSession peer = this.webSocket.nextDial().open();
		assertThat(peer.getUri()).isEqualTo(FIRST);

		assertThat(connection.endpoint()).isEqualTo(chosen);
		assertThat(connection.currentUrl()).isEqualTo(FIRST);
		assertThat(connection.auth()).isEqualTo(new Auth(Auth.TOKEN, "token-1"));
		connection.call("square", 4);
		JsonNode sent = this.json.readTree(peer.nextSent());
		assertThat(sent.get("arguments").get(0).get("authentication").toString())
			.isEqualTo("{\"type\":\"token\",\"key\":\"token-1\"}");
	}

	@Test
	void aLostConnectionAsksAgainWithThePreviousEndpoint() throws Exception {
		KiteConnection connection = connection(BACKOFF);
		connection.connect();
		KiteEndpoint first = endpoint(FIRST, "token-1", "id-1");
		this.resolver.next().answer.complete(first);
		FakeWebSocketClient.FakeSession peer = this.webSocket.nextDial().open();

		peer.drop();

		ScriptedResolver.Request again = this.resolver.next();
		assertThat(again.previous).isEqualTo(first);
		assertThat(again.reason).isEqualTo(KiteEndpointResolver.Reason.CONNECTION_LOST);
		again.answer.complete(endpoint(SECOND, "token-2", "id-2"));
		assertThat(this.webSocket.nextDial().open().getUri()).isEqualTo(SECOND);
		assertThat(connection.auth()).isEqualTo(new Auth(Auth.TOKEN, "token-2"));
		assertThat(connection.currentUrl()).isEqualTo(SECOND);
	}

	@Test
	void aFailedResolutionBacksOffAndIsAskedAgainAsAFailedDial() throws Exception {
		KiteConnection connection = connection(BACKOFF);
		CompletableFuture<KiteConnection> connected = connection.connect();
		this.resolver.next().answer.completeExceptionally(new KiteException("genericError", "no kites found"));

		assertThat(this.webSocket.dials).isEmpty();
		assertThat(this.resolver.requests).as("no new resolution before the backoff delay").isEmpty();
		this.scheduler.advance(Duration.ofMillis(999));
		assertThat(this.resolver.requests).isEmpty();
		this.scheduler.advance(Duration.ofMillis(1));
		ScriptedResolver.Request second = this.resolver.next();
		assertThat(second.reason).isEqualTo(KiteEndpointResolver.Reason.DIAL_FAILED);
		assertThat(second.previous).isNull();
		second.answer.completeExceptionally(new KiteException("genericError", "no kites found"));

		this.scheduler.advance(Duration.ofMillis(1999));
		assertThat(this.resolver.requests).as("the second delay doubles").isEmpty();
		this.scheduler.advance(Duration.ofMillis(1));
		this.resolver.next().answer.complete(endpoint(FIRST, "token-1", "id-1"));
		this.webSocket.nextDial().open();
		assertThat(connected.get(5, TimeUnit.SECONDS)).isSameAs(connection);
	}

	@Test
	void aDialThatFailsIsReportedToTheResolverWithItsEndpoint() throws Exception {
		KiteConnection connection = connection(BACKOFF);
		connection.connect();
		KiteEndpoint first = endpoint(FIRST, "token-1", "id-1");
		this.resolver.next().answer.complete(first);
		this.webSocket.nextDial().fail();

		this.scheduler.advance(Duration.ofSeconds(1));
		ScriptedResolver.Request again = this.resolver.next();
		assertThat(again.previous).isEqualTo(first);
		assertThat(again.reason).isEqualTo(KiteEndpointResolver.Reason.DIAL_FAILED);
	}

	@Test
	void aResolutionThatNeverAnswersIsBoundedByTheConnectTimeout() throws Exception {
		KiteConnection connection = connection(ReconnectPolicy.disabled());
		CompletableFuture<KiteConnection> connected = connection.connect();
		CompletableFuture<JsonNode> call = connection.call("square", 4);
		ScriptedResolver.Request hanging = this.resolver.next();

		this.scheduler.advance(Duration.ofSeconds(15));

		assertThatThrownBy(() -> connected.get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOf(KiteConnectException.class)
			.hasMessageContaining(LABEL.toString());
		assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.type()).isEqualTo(KiteErrorTypes.DISCONNECT));
		hanging.answer.complete(endpoint(FIRST, "token-1", "id-1")); // too late: not
																		// dialed
		assertThat(this.webSocket.dials).isEmpty();
		assertThat(connection.endpoint()).isNull();
	}

	@Test
	void aFailedResolutionWithoutReconnectionFailsWaitingCallsWithItsMessage() throws Exception {
		KiteConnection connection = connection(ReconnectPolicy.disabled());
		connection.connect();
		CompletableFuture<JsonNode> call = connection.call("square", 4);

		this.resolver.next().answer
			.completeExceptionally(new KiteException("genericError", "no kites found for /alice/production/math"));

		assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(KiteException.class, (ex) -> {
				assertThat(ex.type()).isEqualTo(KiteErrorTypes.DISCONNECT);
				assertThat(ex.getMessage()).contains("no kites found for /alice/production/math");
			});
	}

	@Test
	void aFixedUrlConnectionDialsItsUrlAndHasNoEndpoint() throws Exception {
		KiteConnection connection = this.factory.create(KiteClientOptions.builder(FIRST).build());
		connection.connect();
		assertThat(this.webSocket.nextDial().open().getUri()).isEqualTo(FIRST);
		assertThat(connection.currentUrl()).isEqualTo(FIRST);
		assertThat(connection.endpoint()).isNull();
	}

	@Test
	void aLabelIsOnlyAcceptedWithAResolver() {
		assertThatThrownBy(() -> KiteClientOptions.builder(LABEL).build()).isInstanceOf(IllegalArgumentException.class);
		assertThat(KiteClientOptions.builder(LABEL).endpointResolver(this.resolver).build().url()).isEqualTo(LABEL);
	}

	/** Records every resolution request; the test answers them. */
	private static final class ScriptedResolver implements KiteEndpointResolver {

		final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();

		final List<Request> all = new CopyOnWriteArrayList<>();

		@Override
		public CompletableFuture<KiteEndpoint> resolve(@Nullable KiteEndpoint previous, Reason reason) {
			Request request = new Request(previous, reason, new CompletableFuture<>());
			this.requests.add(request);
			this.all.add(request);
			return request.answer;
		}

		Request next() throws InterruptedException {
			Request request = this.requests.poll(5, TimeUnit.SECONDS);
			assertThat(request).as("a resolution was requested").isNotNull();
			return request;
		}

		record Request(@Nullable KiteEndpoint previous, Reason reason, CompletableFuture<KiteEndpoint> answer) {
		}

	}

}
