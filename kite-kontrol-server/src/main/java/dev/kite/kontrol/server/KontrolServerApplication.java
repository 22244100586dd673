package dev.kite.kontrol.server;

import javax.sql.DataSource;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A standalone Kontrol: {@code java -jar kite-kontrol-server.jar} serves Kontrol at
 * {@code /kite} on port 6000, with {@code POST /register} and {@code GET /heartbeat}
 * beside it, as the Go Kontrol does. Everything is the starter's auto-configuration
 * ({@code kite.kontrol.server.*}); this application's {@code application.yml} only turns
 * the application's own kite endpoint off and puts Kontrol's at its path, so any of it
 * can be overridden as usual ({@code --server.port=…},
 * {@code --kite.kontrol.server.key-dir=…}, environment variables, …).
 *
 * <p>
 * The JDBC support is on the class path for {@code kite.kontrol.server.storage=postgres};
 * a data source ({@code spring.datasource.url}, {@code username}, {@code password}) is
 * made only then, so the default in-memory Kontrol needs no database.
 */
@SpringBootApplication(exclude = DataSourceAutoConfiguration.class)
public class KontrolServerApplication {

	/**
	 * {@code storage=postgres}: a pooled data source from {@code spring.datasource.url},
	 * {@code username} and {@code password}.
	 * @param environment the environment
	 * @return the data source
	 */
	@Bean
	@ConditionalOnProperty(name = "kite.kontrol.server.storage", havingValue = "postgres")
	DataSource dataSource(Environment environment) {
		return DataSourceBuilder.create()
			.url(environment.getRequiredProperty("spring.datasource.url"))
			.username(environment.getProperty("spring.datasource.username"))
			.password(environment.getProperty("spring.datasource.password"))
			.build();
	}

	/**
	 * Starts the Kontrol; with {@code kite-key USERNAME} as the first arguments, prints a
	 * kite key for that user instead ({@link KiteKeyCommand}).
	 * @param args Spring Boot arguments, e.g. {@code --server.port=6001}
	 */
	public static void main(String[] args) {
		if (args.length > 0 && KiteKeyCommand.NAME.equals(args[0])) {
			System.exit(kiteKey(args));
		}
		SpringApplication.run(KontrolServerApplication.class, args);
	}

	/**
	 * Runs the {@code kite-key} command: no web server, no banner.
	 * @param args the command line, starting with {@code kite-key USERNAME}
	 * @return the exit code
	 */
	static int kiteKey(String... args) {
		SpringApplication command = new SpringApplication(KiteKeyCommand.class);
		command.setWebApplicationType(WebApplicationType.NONE);
		command.setBannerMode(Banner.Mode.OFF);
		command.setLogStartupInfo(false);
		return SpringApplication.exit(command.run(args));
	}

}
