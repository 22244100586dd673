package dev.kite.autoconfigure;

import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;

import dev.kite.auth.trust.KontrolTrustSource;
import dev.kite.protocol.Kite;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Says what is served, once the web server is up: one INFO line with the kite's identity,
 * its SockJS and raw WebSocket URLs, the methods served and which of them need
 * authentication; and one WARN when application methods need authentication that no
 * caller can provide, because this kite trusts no Kontrol key (no kite key, no
 * {@code kite.kontrol.key}) and no {@link dev.kite.auth.KiteAuthenticator} is configured.
 *
 * <p>
 * The built-ins that need authentication ({@code kite.heartbeat},
 * {@code kite.systemInfo}, {@code kite.log}) do not trigger the WARN: a kite without
 * Kontrol is a normal setup in which Go kites deny them too; the INFO line still lists
 * them as authenticated.
 *
 * <p>
 * Runs on the thread that publishes the web server's event (the one refreshing the
 * context); it only reads state that is complete by then.
 */
final class KiteStartupReport implements ApplicationListener<WebServerInitializedEvent> {

	private static final Logger logger = LoggerFactory.getLogger(KiteStartupReport.class);

	private final Kite localKite;

	private final KiteMethodRegistry registry;

	private final KontrolTrustSource trustSource;

	private final KiteProperties properties;

	private final boolean customAuthenticators;

	KiteStartupReport(Kite localKite, KiteMethodRegistry registry, KontrolTrustSource trustSource,
			KiteProperties properties, boolean customAuthenticators) {
		this.localKite = localKite;
		this.registry = registry;
		this.trustSource = trustSource;
		this.properties = properties;
		this.customAuthenticators = customAuthenticators;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		// The management server (and any other namespaced server) does not serve the kite
		// endpoint.
		if (event.getApplicationContext().getServerNamespace() != null) {
			return;
		}
		Environment environment = event.getApplicationContext().getEnvironment();
		int port = event.getWebServer().getPort();
		String host = host(environment);
		boolean ssl = Ssl.isEnabled(Binder.get(environment).bind("server.ssl", Ssl.class).orElse(null));
		String path = environment.getProperty("server.servlet.context-path", "")
				+ this.properties.getServer().getPath();
		String base = host + ":" + port + path;
		boolean authenticationEnabled = this.properties.getServer().getAuthentication().isEnabled();
		List<KiteMethodDefinition> methods = this.registry.methods()
			.stream()
			.sorted(Comparator.comparing(KiteMethodDefinition::name))
			.toList();
		List<String> authenticated = methods.stream()
			.filter((method) -> authenticationEnabled && method.authenticated())
			.map(KiteMethodDefinition::name)
			.toList();
		if (logger.isInfoEnabled()) {
			logger.info("Kite " + this.localKite.toPath() + " serving at " + (ssl ? "https://" : "http://") + base
					+ " (SockJS) and " + (ssl ? "wss://" : "ws://") + base + "/websocket (raw WebSocket); methods "
					+ methods.stream().map(KiteMethodDefinition::name).toList() + ", authentication required by "
					+ authenticated);
		}
		List<String> unreachable = methods.stream()
			.filter((method) -> authenticationEnabled && method.authenticated() && !isBuiltin(method))
			.map(KiteMethodDefinition::name)
			.toList();
		if (!unreachable.isEmpty() && this.trustSource.trustedKeys().isEmpty() && !this.customAuthenticators) {
			logger.warn("Kite methods " + unreachable + " require authentication, but this kite trusts no Kontrol"
					+ " key (no kite key, no kite.kontrol.key) and has no KiteAuthenticator: no caller can call"
					+ " them. Configure kite.key-file or kite.kontrol.key, or mark them authenticated = false.");
		}
	}

	private static boolean isBuiltin(KiteMethodDefinition method) {
		return method.name().startsWith("kite.") && "built-in".equals(method.source());
	}

	private String host(Environment environment) {
		InetAddress address = Binder.get(environment).bind("server.address", InetAddress.class).orElse(null);
		if (address == null || address.isAnyLocalAddress()) {
			return this.localKite.hostname();
		}
		String host = address.getHostAddress();
		return (host.indexOf(':') >= 0) ? "[" + host + "]" : host;
	}

}
