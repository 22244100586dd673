package dev.kite.autoconfigure.registration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;

import dev.kite.auth.key.KiteKeys;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.auth.trust.KontrolTrustSource;
import dev.kite.autoconfigure.KiteAutoConfiguration;
import dev.kite.autoconfigure.KiteClientAutoConfiguration;
import dev.kite.autoconfigure.KiteProperties;
import dev.kite.autoconfigure.kontrol.KontrolServerAutoConfiguration;
import dev.kite.autoconfigure.kontrol.KontrolServerProperties;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.ReconnectPolicy;
import dev.kite.client.kontrol.KontrolClient;
import dev.kite.client.kontrol.KontrolDnodeRegistration;
import dev.kite.client.kontrol.KontrolHttpRegistration;
import dev.kite.client.kontrol.KontrolKeyRotation;
import dev.kite.protocol.Kite;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.TaskScheduler;

/**
 * Registers the application's kite with Kontrol ({@code kite.kontrol.register}, on by
 * default) through a {@link KiteRegistrationLifecycle}: over dnode as Go kites do, or
 * over Kontrol's HTTP endpoints ({@code kite.kontrol.transport=http}).
 *
 * <p>
 * A key rotation Kontrol announces is adopted for every later call and verification, and
 * written back to the kite key file it came from ({@code kite.key-file} or the default
 * file), never to an inline {@code kite.key}.
 */
@AutoConfiguration(after = { KiteAutoConfiguration.class, KiteClientAutoConfiguration.class,
		KontrolServerAutoConfiguration.class })
@ConditionalOnClass(KiteClientFactory.class)
@ConditionalOnBean(KiteClientFactory.class)
@ConditionalOnBooleanProperty(name = "kite.kontrol.register", matchIfMissing = true)
public final class KiteRegistrationAutoConfiguration {

	/** The bean name of the registration lifecycle. */
	public static final String LIFECYCLE_BEAN_NAME = "kiteRegistrationLifecycle";

	@Bean(name = LIFECYCLE_BEAN_NAME)
	@ConditionalOnMissingBean(name = LIFECYCLE_BEAN_NAME)
	KiteRegistrationLifecycle kiteRegistrationLifecycle(KiteProperties properties, KiteClientFactory factory,
			@Qualifier(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME) Kite localKite, LocalKiteKey kiteKey,
			ObjectProvider<KontrolTrustSource> trust,
			@Qualifier(KiteAutoConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler,
			@Qualifier(KiteAutoConfiguration.EXECUTOR_BEAN_NAME) Executor executor,
			ObjectProvider<KontrolServerProperties> kontrolServer, ApplicationContext context) {
		KiteProperties.Kontrol kontrol = properties.getKontrol();
		requirePositive("kite.kontrol.retry-interval", kontrol.getRetryInterval());
		requirePositive("kite.kontrol.startup-timeout", kontrol.getStartupTimeout());
		ReconnectPolicy reconnect = reconnectPolicy(kontrol.getMaxReconnectInterval());
		KontrolServerProperties embedded = kontrolServer.getIfAvailable();
		KontrolKeyRotation rotation = new KontrolKeyRotation(kiteKey, trust.getIfAvailable(),
				keyFile(properties, embedded));
		KiteProperties.Client client = properties.getClient();
		ReconnectPolicy backoff = httpBackoff(kontrol.getHttp());
		return new KiteRegistrationLifecycle(new KiteRegistrationTargets(properties, kiteKey, embedded, context),
				(target) -> {
					if (kontrol.getTransport() == KiteProperties.KontrolTransport.HTTP) {
						return KontrolHttpRegistration.builder(target.kontrolUrl(), localKite, kiteKey, scheduler)
							.timeout(client.getTimeout())
							.backoff(backoff)
							.rotation(rotation)
							.listener(target.listener())
							.executor(executor)
							.build();
					}
					KontrolClient kontrolClient = KontrolClient.create(factory,
							KontrolClient.options(target.kontrolUrl(), localKite)
								.transport(client.getTransport())
								.timeout(client.getTimeout())
								.connectTimeout(client.getConnectTimeout())
								.reconnect(reconnect)
								.build(),
							kiteKey, rotation);
					return new KontrolDnodeRegistration(kontrolClient, scheduler, kontrol.getRetryInterval(),
							target.listener());
				}, context, kontrol.isFailFast(), kontrol.getStartupTimeout());
	}

	/**
	 * The kite key file a rotated key is written to: {@code kite.key-file}, or the
	 * default file when the key came from there; none for an inline key or one the
	 * embedded Kontrol issued.
	 */
	private static @Nullable Path keyFile(KiteProperties properties, @Nullable KontrolServerProperties embedded) {
		if (properties.getKey() != null && !properties.getKey().isBlank()) {
			return null;
		}
		if (properties.getKeyFile() != null) {
			return properties.getKeyFile();
		}
		if (embedded != null && embedded.isEnabled()) {
			return null;
		}
		String home = System.getProperty("user.home");
		Path file = KiteKeys.defaultFile(System::getenv, (home != null) ? Path.of(home) : null);
		return (file != null && Files.isRegularFile(file)) ? file : null;
	}

	/** Go's backoff, capped so a returning Kontrol is found again soon. */
	private static ReconnectPolicy reconnectPolicy(Duration maxInterval) {
		ReconnectPolicy go = ReconnectPolicy.goDefaults();
		if (maxInterval.compareTo(go.initialInterval()) < 0) {
			throw new InvalidConfigurationPropertyValueException("kite.kontrol.max-reconnect-interval", maxInterval,
					"Must be at least " + go.initialInterval().toMillis() + "ms");
		}
		return new ReconnectPolicy(true, go.initialInterval(), go.multiplier(), go.randomizationFactor(), maxInterval);
	}

	private static ReconnectPolicy httpBackoff(KiteProperties.HttpRegistration http) {
		requirePositive("kite.kontrol.http.initial-interval", http.getInitialInterval());
		requirePositive("kite.kontrol.http.max-interval", http.getMaxInterval());
		try {
			return new ReconnectPolicy(true, http.getInitialInterval(), http.getMultiplier(),
					KontrolHttpRegistration.DEFAULT_BACKOFF.randomizationFactor(), http.getMaxInterval());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("kite.kontrol.http.multiplier", http.getMultiplier(),
					ex.getMessage());
		}
	}

	/** Fails naming the property unless the duration is positive. */
	static void requirePositive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "Must be positive");
		}
	}

}
