package dev.kite.client.kontrol;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteConnection;
import dev.kite.client.KiteEndpoint;
import dev.kite.client.ReconnectPolicy;
import dev.kite.protocol.Auth;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.protocol.KontrolQuery;
import dev.kite.test.ManualTaskScheduler;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token renewer on a real {@link KiteConnection} whose dials open at once and whose
 * executor runs everything on the test's thread, with a {@link ManualTaskScheduler} for
 * time and a scripted Kontrol ({@code getToken} answers the test completes).
 */
class KiteTokenRenewerTest {

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private final ManualTaskScheduler time = new ManualTaskScheduler(START);

	private final InstantWebSocketClient webSocket = new InstantWebSocketClient();

	private final KiteClientFactory factory = KiteClientFactory.builder()
		.webSocketClient(this.webSocket)
		.taskScheduler(this.time)
		.executor(Runnable::run)
		.build();

	private final BlockingQueue<TokenRequest> requests = new LinkedBlockingQueue<>();

	private final BlockingQueue<KiteEndpoint> endpoints = new LinkedBlockingQueue<>();

	private final JsonMapper json = JsonMapper.builder().build();

	@AfterEach
	void close() {
		this.factory.close();
	}

	private static Kite kite(String id) {
		return new Kite("math", "alice", id, "production", "eu", "1.0.0", "host");
	}

	/** An unsigned token that expires at {@code exp}: the renewer does not verify. */
	private static String token(Instant exp) {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		return base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ base64.encodeToString(("{\"aud\":\"/alice/production/math\",\"exp\":" + exp.getEpochSecond() + "}")
					.getBytes(StandardCharsets.UTF_8))
				+ ".c2ln";
	}

	private KiteEndpoint endpoint(String id, Instant exp) {
		return new KiteEndpoint(URI.create("ws://" + id + ".test/kite/websocket"), new Auth(Auth.TOKEN, token(exp)),
				kite(id));
	}

	private KiteConnection connection() {
		return this.factory
			.create(KiteClientOptions.builder("kontrol:/alice/production/math").endpointResolver((previous, reason) -> {
				KiteEndpoint next = this.endpoints.poll();
				return (next != null) ? CompletableFuture.completedFuture(next)
						: CompletableFuture.failedFuture(new IllegalStateException("no endpoint scripted"));
			}).reconnect(new ReconnectPolicy(true, Duration.ofSeconds(1), 2, 0, Duration.ofSeconds(60))).build());
	}

	private KiteTokenRenewer renewer(KiteConnection connection) {
		KiteTokenRenewer renewer = new KiteTokenRenewer(connection, (query, force) -> {
			TokenRequest request = new TokenRequest(query, force, new CompletableFuture<>());
			this.requests.add(request);
			return request.answer;
		}, this.time, KiteTokenRenewer.DEFAULT_RENEW_BEFORE, KiteTokenRenewer.DEFAULT_RETRY_INTERVAL);
		renewer.listen();
		return renewer;
	}

	@Test
	void renewsThirtySecondsBeforeExpiryWithAnIdOnlyQueryAndSwapsTheToken() throws Exception {
		Instant exp = START.plus(Duration.ofMinutes(10));
		this.endpoints.add(endpoint("id-1", exp));
		KiteConnection connection = connection();
		KiteTokenRenewer renewer = renewer(connection);
		connection.connect().get(5, TimeUnit.SECONDS);
		assertThat(renewer.nextRenewal()).isEqualTo(exp.minusSeconds(30));

		this.time.advance(Duration.ofMinutes(10).minusSeconds(31));
		assertThat(this.requests).isEmpty();
		this.time.advance(Duration.ofSeconds(1));

		TokenRequest request = this.requests.remove();
		assertThat(request.query).isEqualTo(new KontrolQuery("", "", "", "", "", "", "id-1"));
		assertThat(request.force).isFalse();
		Instant renewedExp = exp.plus(Duration.ofMinutes(10));
		String renewed = token(renewedExp);
		request.answer.complete(renewed);
		assertThat(connection.auth()).isEqualTo(new Auth(Auth.TOKEN, renewed));
		assertThat(renewer.nextRenewal()).isEqualTo(renewedExp.minusSeconds(30));
	}

	@Test
	void anErrorIsRetriedAfterTenSecondsAndNoKitesFoundStops() throws Exception {
		this.endpoints.add(endpoint("id-1", START.plusSeconds(60)));
		KiteConnection connection = connection();
		KiteTokenRenewer renewer = renewer(connection);
		connection.connect().get(5, TimeUnit.SECONDS);
		this.time.advance(Duration.ofSeconds(30));
		this.requests.remove().answer.completeExceptionally(new KiteException(KiteErrorTypes.TIMEOUT, "timeout"));

		assertThat(renewer.nextRenewal()).isEqualTo(START.plusSeconds(40));
		this.time.advance(Duration.ofSeconds(9));
		assertThat(this.requests).isEmpty();
		this.time.advance(Duration.ofSeconds(1));
		this.requests.remove().answer.completeExceptionally(new KiteException("genericError", "no kites found"));

		assertThat(renewer.nextRenewal()).isNull();
		assertThat(this.time.pending()).isEmpty();
	}

	@Test
	void concurrentRenewalsShareOneGetToken() {
		this.endpoints.add(endpoint("id-1", START.plusSeconds(600)));
		KiteConnection connection = connection();
		KiteTokenRenewer renewer = renewer(connection);
		connection.connect().join();

		CompletableFuture<String> first = renewer.renew();
		CompletableFuture<String> second = renewer.renew();

		assertThat(second).isSameAs(first);
		assertThat(this.requests).hasSize(1);
		this.requests.remove().answer.complete(token(START.plusSeconds(1200)));
		assertThat(first).isCompleted();
		renewer.renew();
		assertThat(this.requests).as("a later trigger asks again").hasSize(1);
	}

	@Test
	void aCallFailingWithTokenIsExpiredRenewsAtOnce() throws Exception {
		this.endpoints.add(endpoint("id-1", START.plusSeconds(600)));
		KiteConnection connection = connection();
		renewer(connection);
		connection.connect().join();
		CompletableFuture<JsonNode> call = connection.call("square", 4);
		long responseId = Long.parseLong(this.json.readTree(this.webSocket.session.sent.remove())
			.get("callbacks")
			.propertyNames()
			.iterator()
			.next());

		this.webSocket.session.deliver("{\"method\":" + responseId + ",\"arguments\":[{\"error\":{\"type\":"
				+ "\"authenticationError\",\"message\":\"token is expired by 1s\"},\"result\":null}],\"callbacks\":{}}");

		assertThat(call).isCompletedExceptionally();
		TokenRequest request = this.requests.remove(); // no time moved
		assertThat(request.query.id()).isEqualTo("id-1");
	}

	@Test
	void disconnectStopsAndAReconnectRenewsForTheNewTarget() throws Exception {
		this.endpoints.add(endpoint("id-1", START.plusSeconds(600)));
		KiteConnection connection = connection();
		KiteTokenRenewer renewer = renewer(connection);
		connection.connect().join();
		assertThat(renewer.nextRenewal()).isNotNull();
		Instant secondExp = START.plusSeconds(900);
		this.endpoints.add(endpoint("id-2", secondExp));

		this.webSocket.session.drop(); // redials at once, to the next scripted endpoint

		assertThat(connection.endpoint().kite().id()).isEqualTo("id-2");
		assertThat(renewer.nextRenewal()).isEqualTo(secondExp.minusSeconds(30));
		this.time.advance(Duration.ofSeconds(870));
		assertThat(this.requests.remove().query.id()).isEqualTo("id-2");
	}

	@Test
	void withoutAConnectionNothingIsScheduled() throws Exception {
		this.endpoints.add(endpoint("id-1", START.plusSeconds(600)));
		KiteConnection connection = connection();
		KiteTokenRenewer renewer = renewer(connection);
		connection.connect().join();

		connection.close();

		assertThat(renewer.nextRenewal()).isNull();
		assertThat(this.time.pending()).isEmpty();
	}

	private record TokenRequest(KontrolQuery query, boolean force, CompletableFuture<String> answer) {
	}

	/** Every dial opens at once; the last session is kept for the test. */
	private static final class InstantWebSocketClient implements WebSocketClient {

		volatile @Nullable Session session;

		@Override
		public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, String uriTemplate,
				Object... uriVariables) {
			return execute(handler, null, URI.create(uriTemplate));
		}

		@Override
		public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler,
				@Nullable WebSocketHttpHeaders headers, URI uri) {
			Session opened = new Session(handler, uri);
			this.session = opened;
			try {
				handler.afterConnectionEstablished(opened);
			}
			catch (Exception ex) {
				return CompletableFuture.failedFuture(ex);
			}
			return CompletableFuture.completedFuture(opened);
		}

	}

	private static final class Session implements WebSocketSession {

		final BlockingQueue<String> sent = new LinkedBlockingQueue<>();

		private final WebSocketHandler handler;

		private final URI uri;

		private final Map<String, Object> attributes = new ConcurrentHashMap<>();

		private volatile boolean open = true;

		Session(WebSocketHandler handler, URI uri) {
			this.handler = handler;
			this.uri = uri;
		}

		void deliver(String text) throws Exception {
			this.handler.handleMessage(this, new TextMessage(text));
		}

		void drop() throws Exception {
			this.open = false;
			this.handler.afterConnectionClosed(this, CloseStatus.SESSION_NOT_RELIABLE);
		}

		@Override
		public String getId() {
			return "session-" + System.identityHashCode(this);
		}

		@Override
		public URI getUri() {
			return this.uri;
		}

		@Override
		public HttpHeaders getHandshakeHeaders() {
			return new HttpHeaders();
		}

		@Override
		public Map<String, Object> getAttributes() {
			return this.attributes;
		}

		@Override
		public @Nullable Principal getPrincipal() {
			return null;
		}

		@Override
		public @Nullable InetSocketAddress getLocalAddress() {
			return null;
		}

		@Override
		public @Nullable InetSocketAddress getRemoteAddress() {
			return null;
		}

		@Override
		public @Nullable String getAcceptedProtocol() {
			return null;
		}

		@Override
		public void setTextMessageSizeLimit(int messageSizeLimit) {
		}

		@Override
		public int getTextMessageSizeLimit() {
			return Integer.MAX_VALUE;
		}

		@Override
		public void setBinaryMessageSizeLimit(int messageSizeLimit) {
		}

		@Override
		public int getBinaryMessageSizeLimit() {
			return Integer.MAX_VALUE;
		}

		@Override
		public List<WebSocketExtension> getExtensions() {
			return List.of();
		}

		@Override
		public void sendMessage(WebSocketMessage<?> message) {
			this.sent.add(((TextMessage) message).getPayload());
		}

		@Override
		public boolean isOpen() {
			return this.open;
		}

		@Override
		public void close() {
			close(CloseStatus.NORMAL);
		}

		@Override
		public void close(CloseStatus status) {
			if (this.open) {
				this.open = false;
				try {
					this.handler.afterConnectionClosed(this, status);
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
		}

	}

}
