package dev.kite.kontrol.server;

import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;

import dev.kite.autoconfigure.KiteProperties;
import dev.kite.autoconfigure.kontrol.KontrolKeyFiles;
import dev.kite.autoconfigure.kontrol.KontrolServerAutoConfiguration;
import dev.kite.autoconfigure.kontrol.KontrolServerProperties;
import dev.kite.kontrol.KontrolSettings;
import dev.kite.kontrol.KontrolTokens;
import dev.kite.kontrol.store.KontrolKeyPair;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * {@code java -jar kite-kontrol-server.jar kite-key USERNAME}: prints a kite key for a
 * user, signed with this Kontrol's key pair, as an operator hands one out (Go's
 * {@code kontrol -initial} does this for Kontrol's own user). It reads the same
 * configuration as the server ({@code kite.kontrol.server.key-dir} or the key files,
 * {@code public-url}, {@code kite.username}), starts no web server, and refuses to make a
 * key pair: the Kontrol must have been started once, or be given its key files.
 */
// Not a @Configuration: the server's component scan must not pick it up; it is the
// primary source of its own application only.
@EnableConfigurationProperties({ KiteProperties.class, KontrolServerProperties.class })
class KiteKeyCommand {

	static final String NAME = "kite-key";

	@Bean
	ApplicationRunner kiteKeyPrinter(KontrolServerProperties properties, KiteProperties kiteProperties,
			Environment environment) {
		return (arguments) -> {
			if (arguments.getNonOptionArgs().size() != 2) {
				throw new IllegalArgumentException("Usage: java -jar kite-kontrol-server.jar kite-key USERNAME");
			}
			String username = arguments.getNonOptionArgs().get(1);
			if (properties.getPublicKeyFile() == null
					&& !Files.exists(properties.getKeyDir().resolve(KontrolKeyFiles.PUBLIC_KEY_FILE))) {
				throw new IllegalStateException("No Kontrol key pair in " + properties.getKeyDir()
						+ ": start the Kontrol once, or set kite.kontrol.server.public-key-file and private-key-file");
			}
			KontrolKeyPair pair = KontrolKeyFiles.keyPair(properties);
			String issuer = (kiteProperties.getUsername() != null && !kiteProperties.getUsername().isBlank())
					? kiteProperties.getUsername() : KontrolServerProperties.DEFAULT_USERNAME;
			KontrolTokens tokens = new KontrolTokens(issuer, KontrolSettings.DEFAULT_TOKEN_TTL,
					KontrolSettings.DEFAULT_TOKEN_LEEWAY, Clock.systemUTC());
			out().println(
					tokens.kiteKey(username, pair, KontrolServerAutoConfiguration.publicUrl(properties, environment)));
		};
	}

	PrintStream out() {
		return System.out;
	}

}
