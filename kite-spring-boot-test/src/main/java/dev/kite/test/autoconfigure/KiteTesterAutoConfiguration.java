package dev.kite.test.autoconfigure;

import dev.kite.auth.key.LocalKiteKey;
import dev.kite.autoconfigure.KiteAutoConfiguration;
import dev.kite.protocol.Auth;
import dev.kite.test.tester.KiteTester;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The {@link KiteTester} bean of
 * {@link AutoConfigureKiteTester @AutoConfigureKiteTester}: it dials
 * {@code http://127.0.0.1:${local.server.port}${server.servlet.context-path}${kite.server.path}},
 * the port read when the first connection is opened (the web server has started by then),
 * and authenticates with the application's kite key when it has one.
 */
@AutoConfiguration(after = KiteAutoConfiguration.class)
@EnableConfigurationProperties(KiteTesterProperties.class)
public final class KiteTesterAutoConfiguration {

	private static final String PORT_PROPERTY = "local.server.port";

	private static final String PATH_PROPERTY = "kite.server.path";

	/** {@code kite.server.path}'s default: where Go kites serve. */
	private static final String DEFAULT_PATH = "/kite";

	/**
	 * The tester; its connections are closed after each test method by
	 * {@link KiteTesterTestExecutionListener}, and with its client factory when the
	 * context closes.
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	KiteTester kiteTester(KiteTesterProperties properties, Environment environment,
			ObjectProvider<LocalKiteKey> kiteKey) {
		KiteTester.Builder builder = KiteTester
			.builder(() -> localUrl(environment,
					Binder.get(environment).bind(PATH_PROPERTY, String.class).orElse(DEFAULT_PATH)))
			.transport(properties.getTransport())
			.timeout(properties.getTimeout());
		LocalKiteKey key = kiteKey.getIfAvailable();
		if (key != null) {
			// What a Go kite sends by default: its own kite key.
			key.get().ifPresent((current) -> builder.auth(new Auth(Auth.KITE_KEY, current.raw())));
		}
		return builder.build();
	}

	static String localUrl(Environment environment, String kitePath) {
		String port = environment.getProperty(PORT_PROPERTY);
		if (port == null) {
			throw new IllegalStateException("The KiteTester needs the port of the running server (" + PORT_PROPERTY
					+ "): use @SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)");
		}
		String contextPath = environment.getProperty("server.servlet.context-path", "");
		String scheme = environment.getProperty("server.ssl.enabled", Boolean.class, false) ? "https" : "http";
		return scheme + "://127.0.0.1:" + port + StringUtils.trimTrailingCharacter(contextPath, '/')
				+ (kitePath.startsWith("/") ? kitePath : "/" + kitePath);
	}

}
