package dev.kite.compat;

import dev.kite.annotation.KiteMethod;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

/**
 * The smallest kite application: the starter, one method, defaults everywhere.
 */
@SpringBootApplication
public class CompatApplication {

	public static void main(String[] args) {
		SpringApplication.run(CompatApplication.class, args);
	}

	/** The kite's one method. */
	@Component
	public static class MathKite {

		@KiteMethod(value = "square", authenticated = false)
		public double square(double n) {
			return n * n;
		}

	}

}
