package dev.kite.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

import dev.kite.rpc.sockjs.KiteSockJsMessageCodec;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import org.jspecify.annotations.Nullable;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.sockjs.client.InfoReceiver;
import org.springframework.web.socket.sockjs.client.RestClientXhrTransport;
import org.springframework.web.socket.sockjs.client.SockJsClient;
import org.springframework.web.socket.sockjs.client.SockJsUrlInfo;
import org.springframework.web.socket.sockjs.client.WebSocketTransport;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The Spring WebSocket and SockJS clients one TLS setting needs: a JSR-356
 * {@link StandardWebSocketClient} (raw WebSocket, and SockJS's WebSocket transport), a
 * {@link RestClientXhrTransport} on the JDK {@link HttpClient} (SockJS {@code /info} and
 * XHR polling), and three {@link SockJsClient}s (WebSocket, XHR, and WebSocket-then-XHR).
 *
 * <p>
 * Thread safety: immutable after construction; the Spring clients are thread-safe.
 * {@link #dial} runs SockJS's blocking {@code /info} request on the given executor, never
 * on the caller's thread; that request is bounded by the connect timeout (for the
 * transports this class {@link #create creates}) and hands its answer to SockJsClient
 * through a thread-local.
 */
final class KiteTransports {

	/** Tomcat's client handshake/IO timeout property; other JSR-356 clients ignore it. */
	private static final String TOMCAT_IO_TIMEOUT = "org.apache.tomcat.websocket.IO_TIMEOUT_MS";

	private static final Duration XHR_READ_TIMEOUT = Duration.ofSeconds(60);

	private final WebSocketClient webSocketClient;

	private final SockJsClient sockJsAuto;

	private final SockJsClient sockJsWebSocket;

	private final SockJsClient sockJsXhr;

	private final InfoReceiver infoFetcher;

	private final PrefetchedInfo prefetchedInfo;

	/**
	 * @param webSocketClient dials raw WebSockets and SockJS's WebSocket transport
	 * @param restClient runs XHR polling (and the SockJS {@code /info} request)
	 */
	KiteTransports(WebSocketClient webSocketClient, RestClient restClient) {
		this(webSocketClient, restClient, restClient);
	}

	/**
	 * @param webSocketClient dials raw WebSockets and SockJS's WebSocket transport
	 * @param restClient runs XHR polling
	 * @param infoClient runs the SockJS {@code /info} request (a read timeout as short as
	 * a dial's)
	 */
	KiteTransports(WebSocketClient webSocketClient, RestClient restClient, RestClient infoClient) {
		// Nagle off for raw WebSocket and SockJS's WebSocket transport alike (see
		// NoDelayWebSocketClient: messages over 8 KiB stalled ~45 ms each without it)
		WebSocketClient noDelay = new NoDelayWebSocketClient(webSocketClient);
		this.webSocketClient = noDelay;
		RestClientXhrTransport xhr = new RestClientXhrTransport(restClient);
		xhr.setXhrStreamingDisabled(true); // polling only, as Go's XHR client
		xhr.setTaskExecutor(new SimpleAsyncTaskExecutor(daemonThreads("kite-xhr-")));
		this.infoFetcher = (infoClient != restClient) ? new RestClientXhrTransport(infoClient) : xhr;
		this.prefetchedInfo = new PrefetchedInfo(this.infoFetcher);
		WebSocketTransport webSocket = new WebSocketTransport(noDelay);
		this.sockJsAuto = sockJsClient(List.of(webSocket, xhr), this.prefetchedInfo);
		this.sockJsWebSocket = sockJsClient(List.of(webSocket), this.prefetchedInfo);
		this.sockJsXhr = sockJsClient(List.of(xhr), this.prefetchedInfo);
	}

	private static SockJsClient sockJsClient(List<org.springframework.web.socket.sockjs.client.Transport> transports,
			InfoReceiver infoReceiver) {
		SockJsClient client = new SockJsClient(transports);
		client.setInfoReceiver(infoReceiver); // the /info request uses our HTTP client
												// (and its TLS)
		// one pass over a frame each way (the server's codec): Spring's Jackson codec
		// quoted and escaped in two passes and bound a String[] with a full mapper,
		// about a sixth of this client's CPU per call over SockJS (profiled)
		client.setMessageCodec(new KiteSockJsMessageCodec());
		client.start();
		return client;
	}

	/**
	 * Creates the transports for a TLS setting.
	 * @param sslContext the TLS context, or {@code null} for the JVM default
	 * @param maxMessageSize the largest message a WebSocket accepts, in bytes
	 * @param connectTimeout the handshake and HTTP connect timeout
	 * @return the transports
	 */
	static KiteTransports create(@Nullable SSLContext sslContext, int maxMessageSize, Duration connectTimeout) {
		return new KiteTransports(webSocketClient(sslContext, maxMessageSize, connectTimeout),
				restClient(sslContext, connectTimeout), infoRestClient(sslContext, connectTimeout));
	}

	static StandardWebSocketClient webSocketClient(@Nullable SSLContext sslContext, int maxMessageSize,
			Duration connectTimeout) {
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		container.setDefaultMaxTextMessageBufferSize(maxMessageSize);
		container.setDefaultMaxBinaryMessageBufferSize(maxMessageSize);
		container.setDefaultMaxSessionIdleTimeout(0);
		StandardWebSocketClient client = new StandardWebSocketClient(container);
		client.getUserProperties().put(TOMCAT_IO_TIMEOUT, Long.toString(connectTimeout.toMillis()));
		if (sslContext != null) {
			client.setSslContext(sslContext);
		}
		client.setTaskExecutor(new SimpleAsyncTaskExecutor(daemonThreads("kite-ws-connect-")));
		return client;
	}

	/**
	 * Threads that never keep the JVM alive: the client's own pool, and a thread per dial
	 * or per XHR session's poll loop.
	 */
	static CustomizableThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

	/** An HTTP client for XHR polling. */
	static RestClient restClient(@Nullable SSLContext sslContext, Duration connectTimeout) {
		return restClient(sslContext, connectTimeout, XHR_READ_TIMEOUT);
	}

	/**
	 * An HTTP client for the SockJS {@code /info} request: it must answer within a dial's
	 * time.
	 */
	static RestClient infoRestClient(@Nullable SSLContext sslContext, Duration connectTimeout) {
		return restClient(sslContext, connectTimeout, connectTimeout);
	}

	private static RestClient restClient(@Nullable SSLContext sslContext, Duration connectTimeout,
			Duration readTimeout) {
		HttpClient.Builder http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(connectTimeout)
			.followRedirects(HttpClient.Redirect.NEVER);
		if (sslContext != null) {
			http.sslContext(sslContext);
		}
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(http.build());
		// For polling: longer than any SockJS heartbeat (Go 10 s, Spring 25 s), so an
		// idle poll is never
		// cut, but a server that accepts and never answers does not hold a thread
		// forever.
		requestFactory.setReadTimeout(readTimeout);
		return RestClient.builder().requestFactory(requestFactory).build();
	}

	/**
	 * Opens one connection.
	 * @param url the kite URL
	 * @param transport how to dial an http(s) URL
	 * @param handler receives the session's events
	 * @param executor runs the blocking part of a SockJS dial
	 * @param connectTimeout bounds the handshake
	 * @return the session once open
	 */
	CompletableFuture<WebSocketSession> dial(URI url, Transport transport, WebSocketHandler handler, Executor executor,
			Duration connectTimeout) {
		URI raw = rawWebSocketUrl(url, transport);
		if (raw != null) {
			return this.webSocketClient.execute(handler, null, raw);
		}
		SockJsClient sockJs = switch (transport) {
			case WEBSOCKET -> this.sockJsWebSocket;
			case XHR_POLLING -> this.sockJsXhr;
			default -> this.sockJsAuto;
		};
		URI base = withoutTrailingSlash(url);
		return CompletableFuture.supplyAsync(() -> {
			// SockJsClient logs a failed /info request as an ERROR with a stack trace on
			// every dial; a
			// kite that is down is expected, so we ask /info first and fail the dial
			// quietly (the
			// connector logs one WARN line). SockJsClient then reads the answer we
			// already have.
			URI infoUrl = new SockJsUrlInfo(base).getInfoUrl();
			String info = this.infoFetcher.executeInfoRequest(infoUrl, null);
			return this.prefetchedInfo.execute(info, () -> sockJs.execute(handler, null, base));
		}, executor).thenCompose((future) -> future);
	}

	/**
	 * {@code http://h/kite/} → {@code http://h/kite}: SockJS appends {@code /info} and
	 * session paths.
	 */
	static URI withoutTrailingSlash(URI url) {
		String path = url.getRawPath();
		if (path == null || !path.endsWith("/")) {
			return url;
		}
		return UriComponentsBuilder.fromUri(url).replacePath(path.replaceAll("/+$", "")).build(true).toUri();
	}

	/**
	 * The raw WebSocket URL to dial, or {@code null} for SockJS: a {@code ws(s)} URL as
	 * is; with {@link Transport#RAW_WEBSOCKET}, an {@code http(s)} URL mapped to
	 * {@code ws(s)} with {@code /websocket} appended to its path.
	 */
	static @Nullable URI rawWebSocketUrl(URI url, Transport transport) {
		String scheme = url.getScheme();
		if ("ws".equals(scheme) || "wss".equals(scheme)) {
			return url;
		}
		if (transport != Transport.RAW_WEBSOCKET) {
			return null;
		}
		String path = (url.getRawPath() != null) ? url.getRawPath() : "";
		while (path.endsWith("/")) {
			path = path.substring(0, path.length() - 1);
		}
		try {
			return new URI(("https".equals(scheme) ? "wss" : "ws") + "://" + url.getRawAuthority() + path + "/websocket"
					+ ((url.getRawQuery() != null) ? "?" + url.getRawQuery() : ""));
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("Cannot derive a WebSocket URL from " + url, ex);
		}
	}

	/**
	 * Hands SockJsClient the {@code /info} answer this thread fetched just before
	 * (SockJsClient asks on the thread that calls {@code execute}); asks the server
	 * itself otherwise.
	 */
	private static final class PrefetchedInfo implements InfoReceiver {

		private final ThreadLocal<@Nullable String> fetched = new ThreadLocal<>();

		private final InfoReceiver fallback;

		PrefetchedInfo(InfoReceiver fallback) {
			this.fallback = fallback;
		}

		<T> T execute(String info, Supplier<T> action) {
			this.fetched.set(info);
			try {
				return action.get();
			}
			finally {
				this.fetched.remove();
			}
		}

		@Override
		public String executeInfoRequest(URI infoUrl, @Nullable HttpHeaders headers) {
			String info = this.fetched.get();
			if (info != null) {
				this.fetched.remove(); // once: a later transport's request goes to the
										// server
				return info;
			}
			return this.fallback.executeInfoRequest(infoUrl, headers);
		}

	}

	/** The SockJS clients (WebSocket-then-XHR, WebSocket, XHR), for tests. */
	List<SockJsClient> sockJsClients() {
		return List.of(this.sockJsAuto, this.sockJsWebSocket, this.sockJsXhr);
	}

	void stop() {
		this.sockJsAuto.stop();
		this.sockJsWebSocket.stop();
		this.sockJsXhr.stop();
	}

}
