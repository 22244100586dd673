package dev.kite.autoconfigure.kontrol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import dev.kite.kontrol.HttpAnswer;
import dev.kite.kontrol.KontrolHttpEndpoints;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.web.HttpRequestHandler;

/**
 * Serves one of Kontrol's HTTP endpoints (PROTOCOL §6.9): {@code POST register} or
 * {@code GET heartbeat}, delegating to {@link KontrolHttpEndpoints} and writing its
 * {@link HttpAnswer} as it is (status, content type, body). A register body larger than
 * the configured limit is answered {@code 413} without being read past the limit.
 *
 * <p>
 * Thread-safe: immutable; servlet request threads call it concurrently.
 */
final class KontrolHttpHandler implements HttpRequestHandler {

	private final KontrolHttpEndpoints endpoints;

	private final Endpoint endpoint;

	private final int maxBodySize;

	/**
	 * @param endpoints Kontrol's HTTP endpoints
	 * @param endpoint which one this serves
	 * @param maxBodySize the largest register body accepted, in bytes
	 */
	KontrolHttpHandler(KontrolHttpEndpoints endpoints, Endpoint endpoint, int maxBodySize) {
		this.endpoints = endpoints;
		this.endpoint = endpoint;
		this.maxBodySize = maxBodySize;
	}

	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!this.endpoint.method.equals(request.getMethod())) {
			response.setHeader("Allow", this.endpoint.method);
			write(response, 405, "method not allowed\n");
			return;
		}
		if (this.endpoint == Endpoint.HEARTBEAT) {
			write(response, this.endpoints.heartbeat(request.getParameter("id")));
			return;
		}
		if (request.getContentLengthLong() > this.maxBodySize) {
			write(response, 413, "request body too large\n");
			return;
		}
		byte[] body = readBounded(request.getInputStream());
		if (body == null) {
			write(response, 413, "request body too large\n");
			return;
		}
		write(response, this.endpoints.register(body));
	}

	/** The body, or {@code null} when it is longer than the limit. */
	private byte @Nullable [] readBounded(InputStream input) throws IOException {
		byte[] body = input.readNBytes(this.maxBodySize + 1);
		return (body.length > this.maxBodySize) ? null : body;
	}

	private static void write(HttpServletResponse response, HttpAnswer answer) throws IOException {
		byte[] body = answer.body();
		response.setStatus(answer.status());
		response.setContentType(answer.contentType());
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	private static void write(HttpServletResponse response, int status, String text) throws IOException {
		byte[] body = text.getBytes(StandardCharsets.UTF_8);
		response.setStatus(status);
		response.setContentType(HttpAnswer.TEXT_PLAIN);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/** Kontrol's HTTP endpoints, with the method each accepts. */
	enum Endpoint {

		/** {@code POST register}. */
		REGISTER("POST"),

		/** {@code GET heartbeat?id=}. */
		HEARTBEAT("GET");

		private final String method;

		Endpoint(String method) {
			this.method = method;
		}

	}

}
