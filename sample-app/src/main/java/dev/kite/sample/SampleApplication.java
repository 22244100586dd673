package dev.kite.sample;

import dev.kite.client.declarative.EnableKiteClients;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample kite: {@code java -jar sample-app/target/sample-app.jar}, then call it from
 * kite.js or a Go kite at {@code http://localhost:8080/kite}.
 * {@code GET /demo/square?n=4} shows the client side: it calls the {@code math} kite
 * through {@link MathKiteClient}. The app serves a Kontrol too, at
 * {@code http://localhost:8080/kontrol} ({@code kite.kontrol.server.enabled} in
 * {@code application.yml}): it issues the app's kite key, and the {@code math} kite
 * registers there, so kite.js finds it with {@code getKites} and calls {@code squareAuth}
 * with the token Kontrol mints.
 */
@SpringBootApplication
@EnableKiteClients
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
