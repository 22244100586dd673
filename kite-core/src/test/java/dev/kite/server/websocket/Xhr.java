package dev.kite.server.websocket;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** SockJS XHR requests, as Go's and kite.js's XHR transports send them. */
final class Xhr {

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Xhr() {
	}

	static HttpResponse<String> poll(int port, String session) throws IOException, InterruptedException {
		return client.send(request(port, session, "xhr", ""), HttpResponse.BodyHandlers.ofString());
	}

	static CompletableFuture<HttpResponse<String>> pollAsync(int port, String session) {
		return client.sendAsync(request(port, session, "xhr", ""), HttpResponse.BodyHandlers.ofString());
	}

	static HttpResponse<String> send(int port, String session, String body) throws IOException, InterruptedException {
		return client.send(request(port, session, "xhr_send", body), HttpResponse.BodyHandlers.ofString());
	}

	/** A SockJS frame of one message: {@code ["…"]} with the message JSON-quoted. */
	static String frame(String message) {
		return "[\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
	}

	static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest request(int port, String session, String transport, String body) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/kite/000/" + session + "/" + transport))
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

}
