package dev.kite.kontrol.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A standalone Kontrol: {@code java -jar kite-kontrol-server.jar} serves Kontrol at
 * {@code /kite} on port 6000, with {@code POST /register} and {@code GET /heartbeat}
 * beside it, as the Go Kontrol does. Everything is the starter's auto-configuration
 * ({@code kite.kontrol.server.*}); this application's {@code application.yml} only turns
 * the application's own kite endpoint off and puts Kontrol's at its path, so any of it
 * can be overridden as usual ({@code --server.port=…},
 * {@code --kite.kontrol.server.key-dir=…}, environment variables, …).
 */
@SpringBootApplication
public class KontrolServerApplication {

	/**
	 * Starts the Kontrol.
	 * @param args Spring Boot arguments, e.g. {@code --server.port=6001}
	 */
	public static void main(String[] args) {
		SpringApplication.run(KontrolServerApplication.class, args);
	}

}
