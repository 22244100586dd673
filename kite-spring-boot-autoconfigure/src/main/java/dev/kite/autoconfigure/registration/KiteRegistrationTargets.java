package dev.kite.autoconfigure.registration;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.autoconfigure.KiteProperties;
import dev.kite.autoconfigure.kontrol.KontrolServerProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Works out, at start, which Kontrol to register with and under which URL:
 * <ul>
 * <li>Kontrol: {@code kite.kontrol.url}, else the {@code kontrolURL} claim of a
 * configured kite key ({@code kite.key}, {@code kite.key-file}), else the embedded
 * Kontrol of this application ({@code kite.kontrol.server.enabled=true}), else the claim
 * of the default key file; none means no registration (logged once at INFO).</li>
 * <li>Registered URL: {@code kite.kontrol.register-url}, else the kite endpoint on the
 * web server's port ({@code scheme://host:port} + context path +
 * {@code kite.server.path}; https with server SSL; the host from
 * {@link RegisterUrls#host}). Without a kite endpoint or a web server, nothing
 * registers.</li>
 * </ul>
 * Explicit settings that cannot work (no kite key, a malformed URL) fail the start naming
 * the property.
 *
 * <p>
 * Thread safety: called by the lifecycle on the thread that starts the context.
 */
final class KiteRegistrationTargets implements KiteRegistrationLifecycle.Targets {

	private static final Logger logger = LoggerFactory.getLogger(KiteRegistrationLifecycle.class);

	private static final boolean WEB_SERVER_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.web.server.context.WebServerApplicationContext",
			KiteRegistrationTargets.class.getClassLoader());

	private final KiteProperties properties;

	private final LocalKiteKey kiteKey;

	private final @Nullable KontrolServerProperties embeddedKontrol;

	private final ApplicationContext context;

	private final Environment environment;

	KiteRegistrationTargets(KiteProperties properties, LocalKiteKey kiteKey,
			@Nullable KontrolServerProperties embeddedKontrol, ApplicationContext context) {
		this.properties = properties;
		this.kiteKey = kiteKey;
		this.embeddedKontrol = (embeddedKontrol != null && embeddedKontrol.isEnabled()) ? embeddedKontrol : null;
		this.context = context;
		this.environment = context.getEnvironment();
	}

	@Override
	public Optional<Resolved> resolve(ListenerFactory listeners) {
		KiteProperties.Kontrol kontrol = this.properties.getKontrol();
		URI kontrolUrl = kontrolUrl();
		if (kontrolUrl == null) {
			logger.info("Not registering with Kontrol: no Kontrol URL (set kite.kontrol.url, or use a kite key "
					+ "with a kontrolURL claim)");
			return Optional.empty();
		}
		if (this.kiteKey.get().isEmpty()) {
			if (kontrol.getUrl() != null) {
				throw new InvalidConfigurationPropertyValueException("kite.kontrol.url", kontrol.getUrl(),
						"Registering with Kontrol needs a kite key it issued: set kite.key or kite.key-file "
								+ "(or kite.kontrol.register=false)");
			}
			logger.info("Not registering with Kontrol {}: this kite has no kite key", kontrolUrl);
			return Optional.empty();
		}
		URI registerUrl = registerUrl();
		if (registerUrl == null) {
			return Optional.empty();
		}
		return Optional.of(new Resolved(kontrolUrl, registerUrl, listeners.create(kontrolUrl, registerUrl)));
	}

	/**
	 * Kontrol's URL when it does not depend on the web server's port (it is not the
	 * embedded Kontrol), or {@code null}.
	 */
	@Nullable URI kontrolUrlWithoutWebServer() {
		String configured = this.properties.getKontrol().getUrl();
		if ((configured == null || configured.isBlank()) && this.embeddedKontrol != null
				&& !(keyConfigured() && keyClaim() != null)) {
			return null;
		}
		return kontrolUrl();
	}

	/** Kontrol's URL, or {@code null} when none is known. */
	@Nullable URI kontrolUrl() {
		String configured = this.properties.getKontrol().getUrl();
		if (configured != null && !configured.isBlank()) {
			return httpUrl("kite.kontrol.url", configured.trim());
		}
		URI claimed = keyClaim();
		if (claimed != null && keyConfigured()) {
			return claimed; // a key issued by another Kontrol names where it registers
		}
		if (this.embeddedKontrol != null) {
			Integer port = webServerPort();
			if (port != null) {
				return RegisterUrls.url(secure(), RegisterUrls.localHost(serverAddress()), port, contextPath(),
						this.embeddedKontrol.getPath());
			}
		}
		return claimed;
	}

	/**
	 * Whether the kite key comes from kite.key or kite.key-file (not the embedded
	 * Kontrol).
	 */
	private boolean keyConfigured() {
		String inline = this.properties.getKey();
		return (inline != null && !inline.isBlank()) || this.properties.getKeyFile() != null;
	}

	private @Nullable URI keyClaim() {
		String claim = this.kiteKey.get().map(KiteKey::kontrolUrl).orElse("");
		if (!claim.isBlank()) {
			try {
				return httpUrl("kite.key", claim.trim());
			}
			catch (InvalidConfigurationPropertyValueException ex) {
				logger.warn("Ignoring the kite key's kontrolURL claim: {}", ex.getReason());
			}
		}
		return null;
	}

	private @Nullable URI registerUrl() {
		String configured = this.properties.getKontrol().getRegisterUrl();
		if (configured != null && !configured.isBlank()) {
			return httpUrl("kite.kontrol.register-url", configured.trim());
		}
		if (!this.properties.getServer().isEnabled()) {
			logger.info("Not registering with Kontrol: this application serves no kite endpoint "
					+ "(kite.server.enabled=false); set kite.kontrol.register-url to register one served elsewhere");
			return null;
		}
		Integer port = webServerPort();
		if (port == null) {
			logger.info("Not registering with Kontrol: no web server port (set kite.kontrol.register-url)");
			return null;
		}
		String host = RegisterUrls.host(this.properties.getKontrol().getHostname(), serverAddress());
		return RegisterUrls.url(secure(), host, port, contextPath(), this.properties.getServer().getPath());
	}

	private @Nullable Integer webServerPort() {
		return WEB_SERVER_PRESENT ? WebServerPort.of(this.context) : null;
	}

	/** Loaded only with spring-boot-web-server (a client-only application has none). */
	private static final class WebServerPort {

		static @Nullable Integer of(ApplicationContext context) {
			if (context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
				int port = web.getWebServer().getPort();
				return (port > 0) ? port : null;
			}
			return null;
		}

	}

	private boolean secure() {
		Binder binder = Binder.get(this.environment);
		boolean enabled = binder.bind("server.ssl.enabled", Boolean.class).orElse(true);
		boolean configured = binder.bind("server.ssl.bundle", String.class).isBound()
				|| binder.bind("server.ssl.key-store", String.class).isBound()
				|| binder.bind("server.ssl.certificate", String.class).isBound();
		return enabled && configured;
	}

	private @Nullable InetAddress serverAddress() {
		return Binder.get(this.environment).bind("server.address", InetAddress.class).orElse(null);
	}

	private String contextPath() {
		return this.environment.getProperty("server.servlet.context-path", "");
	}

	private static URI httpUrl(String property, String value) {
		try {
			URI uri = new URI(value);
			String scheme = uri.getScheme();
			if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
				throw new URISyntaxException(value, "Must be an absolute http or https URL with a host");
			}
			return uri;
		}
		catch (URISyntaxException ex) {
			throw new InvalidConfigurationPropertyValueException(property, value, ex.getReason());
		}
	}

}
