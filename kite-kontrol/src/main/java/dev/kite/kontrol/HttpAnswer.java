package dev.kite.kontrol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What an HTTP endpoint of Kontrol answers: status, content type and body, for a thin web
 * layer (Spring MVC, a servlet, …) to write as they are.
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type} header
 * @param body the body bytes
 */
public record HttpAnswer(int status, String contentType, byte[] body) {

	/**
	 * What Go's handlers send (its sniffed type for these bodies, and
	 * {@code http.Error}'s).
	 */
	public static final String TEXT_PLAIN = "text/plain; charset=utf-8";

	public HttpAnswer {
		Objects.requireNonNull(contentType, "contentType");
		body = body.clone();
	}

	static HttpAnswer text(int status, String body) {
		return new HttpAnswer(status, TEXT_PLAIN, body.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public byte[] body() {
		return this.body.clone();
	}

	/** The body as UTF-8 text. */
	public String bodyText() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof HttpAnswer answer && this.status == answer.status
				&& this.contentType.equals(answer.contentType) && java.util.Arrays.equals(this.body, answer.body);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.status, this.contentType, java.util.Arrays.hashCode(this.body));
	}

	@Override
	public String toString() {
		return "HttpAnswer[" + this.status + ", " + this.contentType + ", " + bodyText() + "]";
	}

}
