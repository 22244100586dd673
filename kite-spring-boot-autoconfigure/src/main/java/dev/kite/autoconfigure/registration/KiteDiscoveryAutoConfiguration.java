package dev.kite.autoconfigure.registration;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.KiteKeys;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.autoconfigure.KiteAutoConfiguration;
import dev.kite.autoconfigure.KiteClientAutoConfiguration;
import dev.kite.autoconfigure.KiteProperties;
import dev.kite.autoconfigure.kontrol.KontrolServerAutoConfiguration;
import dev.kite.autoconfigure.kontrol.KontrolServerProperties;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.KiteClientOptions;
import dev.kite.client.KiteEndpoint;
import dev.kite.client.ReconnectPolicy;
import dev.kite.client.kontrol.KiteDiscovery;
import dev.kite.client.kontrol.KiteSelectionStrategy;
import dev.kite.client.kontrol.KontrolClient;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KontrolQuery;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.scheduling.TaskScheduler;

/**
 * Discovery through Kontrol: a {@link KontrolClient} bean ({@code kiteKontrolClient}, its
 * own connection, separate from the registration's so deregistering at shutdown leaves
 * lookups working), a {@link KiteDiscovery} bean (find, connect by query with token
 * renewal and failover, watch), and the {@link KiteSelectionStrategy} it picks among
 * matches with (random; declare a bean to replace it). Named clients with
 * {@code kite.clients.<name>.query} connect through it.
 *
 * <p>
 * Present when a Kontrol is configured: {@code kite.kontrol.url}, the embedded Kontrol
 * ({@code kite.kontrol.server.enabled=true}, whose URL is known once the web server has
 * its port: the Kontrol connection resolves it at its first dial), or a kite key with a
 * {@code kontrolURL} claim. Off with {@code kite.kontrol.discovery.enabled=false}.
 */
@AutoConfiguration(after = { KiteAutoConfiguration.class, KiteClientAutoConfiguration.class,
		KontrolServerAutoConfiguration.class })
@ConditionalOnClass(KiteClientFactory.class)
@ConditionalOnBean(KiteClientFactory.class)
@ConditionalOnBooleanProperty(name = "kite.kontrol.discovery.enabled", matchIfMissing = true)
@Conditional(KiteDiscoveryAutoConfiguration.KontrolConfiguredCondition.class)
public final class KiteDiscoveryAutoConfiguration {

	/** The bean name of the discovery's Kontrol client. */
	public static final String KONTROL_CLIENT_BEAN_NAME = "kiteKontrolClient";

	@Bean
	@ConditionalOnMissingBean
	KiteSelectionStrategy kiteSelectionStrategy() {
		return KiteSelectionStrategy.random();
	}

	/**
	 * Kontrol's methods with this kite's key, over a connection that redials forever; it
	 * dials at the first lookup.
	 */
	@Bean(name = KONTROL_CLIENT_BEAN_NAME, destroyMethod = "close")
	@ConditionalOnMissingBean(name = KONTROL_CLIENT_BEAN_NAME)
	KontrolClient kiteKontrolClient(KiteProperties properties, KiteClientFactory factory,
			@Qualifier(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME) Kite localKite, LocalKiteKey kiteKey,
			ObjectProvider<KontrolServerProperties> kontrolServer, ApplicationContext context) {
		if (kiteKey.get().isEmpty()) {
			String url = properties.getKontrol().getUrl();
			throw new InvalidConfigurationPropertyValueException("kite.kontrol.url", url,
					"Calling Kontrol needs a kite key it issued: set kite.key or kite.key-file "
							+ "(or kite.kontrol.discovery.enabled=false and kite.kontrol.register=false)");
		}
		KiteRegistrationTargets targets = new KiteRegistrationTargets(properties, kiteKey,
				kontrolServer.getIfAvailable(), context);
		URI fixed = targets.kontrolUrlWithoutWebServer();
		KiteProperties.Client client = properties.getClient();
		KiteClientOptions.Builder options = KontrolClient
			.options((fixed != null) ? fixed : URI.create("kontrol:/embedded"), localKite)
			.transport(client.getTransport())
			.timeout(client.getTimeout())
			.connectTimeout(client.getConnectTimeout());
		if (fixed == null) { // the embedded Kontrol: its URL needs the web server's port
			options.endpointResolver((previous, reason) -> {
				URI url = targets.kontrolUrl();
				return (url != null) ? CompletableFuture.completedFuture(new KiteEndpoint(url, null, null))
						: CompletableFuture.failedFuture(new IllegalStateException(
								"The embedded Kontrol's URL is known once the web server has started"));
			});
		}
		return KontrolClient.create(factory, options.build(), kiteKey, null);
	}

	@Bean
	@ConditionalOnMissingBean
	KiteDiscovery kiteDiscovery(KiteProperties properties,
			@Qualifier(KONTROL_CLIENT_BEAN_NAME) KontrolClient kontrolClient, KiteClientFactory factory,
			@Qualifier(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME) Kite localKite, KiteSelectionStrategy selection,
			@Qualifier(KiteAutoConfiguration.SCHEDULER_BEAN_NAME) TaskScheduler scheduler) {
		KiteProperties.Discovery discovery = properties.getKontrol().getDiscovery();
		KiteRegistrationAutoConfiguration.requirePositive("kite.kontrol.discovery.poll-interval",
				discovery.getPollInterval());
		KiteRegistrationAutoConfiguration.requirePositive("kite.kontrol.discovery.token-renew-before",
				discovery.getTokenRenewBefore());
		KiteProperties.Client client = properties.getClient();
		// The URL is replaced per connection by the kite Kontrol finds.
		KiteClientOptions base = KiteClientOptions.builder(KiteDiscovery.label(KontrolQuery.parse("/")))
			.endpointResolver((previous, reason) -> CompletableFuture
				.failedFuture(new IllegalStateException("base options are never dialed")))
			.kite(localKite)
			.transport(client.getTransport())
			.timeout(client.getTimeout())
			.connectTimeout(client.getConnectTimeout())
			.reconnect(ReconnectPolicy.goDefaults())
			.build();
		return new KiteDiscovery(kontrolClient, factory, base, selection, scheduler, discovery.getPollInterval(),
				discovery.getTokenRenewBefore());
	}

	/**
	 * A Kontrol is configured: {@code kite.kontrol.url}, the embedded Kontrol, or a kite
	 * key (from {@code kite.key}, {@code kite.key-file} or the default file) with a
	 * {@code kontrolURL} claim.
	 */
	static final class KontrolConfiguredCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Binder binder = Binder.get(context.getEnvironment());
			if (!binder.bind("kite.kontrol.url", String.class).orElse("").isBlank()) {
				return ConditionOutcome.match("kite.kontrol.url is set");
			}
			if (binder.bind("kite.kontrol.server.enabled", Boolean.class).orElse(false)) {
				return ConditionOutcome.match("the embedded Kontrol is enabled");
			}
			try {
				String claim = KiteKeys
					.load(binder.bind("kite.key", String.class).orElse(null),
							binder.bind("kite.key-file", java.nio.file.Path.class).orElse(null))
					.map(KiteKey::kontrolUrl)
					.orElse("");
				return claim.isBlank() ? ConditionOutcome.noMatch("no Kontrol URL (kite.kontrol.url, kite key)")
						: ConditionOutcome.match("the kite key names Kontrol " + claim);
			}
			catch (RuntimeException ex) {
				return ConditionOutcome.noMatch("the kite key cannot be read: " + ex.getMessage());
			}
		}

	}

}
