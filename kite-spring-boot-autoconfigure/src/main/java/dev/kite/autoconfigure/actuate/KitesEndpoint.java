package dev.kite.autoconfigure.actuate;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kite.client.KiteClients;
import dev.kite.client.KiteConnection;
import dev.kite.client.kontrol.KontrolRegistrationStatus;
import dev.kite.protocol.Kite;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.server.websocket.KiteWebSocketHandler;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code kites} Actuator endpoint: this kite's identity, the methods it serves and
 * whether they need authentication, its open sessions by transport, the configured
 * clients and their state, and the Kontrol registration. It shows no keys, tokens or
 * other credentials, and creates or dials nothing: a client that was never used is listed
 * as {@code NOT_CREATED}.
 *
 * <p>
 * Thread safety: every read takes a snapshot of thread-safe state; any thread.
 */
@Endpoint(id = "kites")
public class KitesEndpoint {

	private final Kite identity;

	private final @Nullable KiteMethodRegistry methods;

	private final @Nullable KiteWebSocketHandler handler;

	private final @Nullable KiteClients clients;

	private final RegistrationStatusSource registration;

	/**
	 * @param identity this kite's identity
	 * @param methods the served methods, or {@code null} when the application serves none
	 * @param handler the kite endpoint's handler, or {@code null} without a server
	 * @param clients the configured clients, or {@code null}
	 * @param registration the Kontrol registration's status
	 */
	public KitesEndpoint(Kite identity, @Nullable KiteMethodRegistry methods, @Nullable KiteWebSocketHandler handler,
			@Nullable KiteClients clients, RegistrationStatusSource registration) {
		this.identity = identity;
		this.methods = methods;
		this.handler = handler;
		this.clients = clients;
		this.registration = registration;
	}

	/**
	 * Describes this kite.
	 * @return the description
	 */
	@ReadOperation
	public KitesDescriptor kites() {
		List<MethodDescriptor> methods = (this.methods != null) ? this.methods.methods()
			.stream()
			.sorted(Comparator.comparing(KiteMethodDefinition::name))
			.map((method) -> new MethodDescriptor(method.name(), method.authenticated()))
			.toList() : List.of();
		Map<String, Integer> sessions = (this.handler != null) ? this.handler.sessionCountsByTransport() : Map.of();
		Map<String, ClientDescriptor> clients = new LinkedHashMap<>();
		if (this.clients != null) {
			for (String name : this.clients.names()) {
				clients.put(name, client(this.clients, name));
			}
		}
		KontrolRegistrationStatus status = this.registration.status();
		return new KitesDescriptor(this.identity, methods, sessions, clients,
				(status != null) ? RegistrationDescriptor.of(status) : null);
	}

	private static ClientDescriptor client(KiteClients clients, String name) {
		KiteConnection connection = clients.existing(name);
		if (connection == null) {
			return new ClientDescriptor(null, "NOT_CREATED");
		}
		String state = connection.isClosed() ? "CLOSED" : (connection.isConnected() ? "CONNECTED" : "DISCONNECTED");
		return new ClientDescriptor(withoutUserInfo(connection.currentUrl().toString()), state);
	}

	/** A URL may carry credentials before the host: never shown. */
	private static String withoutUserInfo(String url) {
		return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
	}

	/** Where the endpoint reads the Kontrol registration's status. */
	@FunctionalInterface
	public interface RegistrationStatusSource {

		/**
		 * The current status.
		 * @return the status, or {@code null} when this kite does not register
		 */
		@Nullable KontrolRegistrationStatus status();

	}

	/**
	 * What the endpoint answers.
	 *
	 * @param identity this kite's identity
	 * @param methods the served methods, by name
	 * @param sessions open sessions by transport
	 * @param clients the configured clients by name
	 * @param registration the Kontrol registration, {@code null} when not registering
	 */
	public record KitesDescriptor(Kite identity, List<MethodDescriptor> methods, Map<String, Integer> sessions,
			Map<String, ClientDescriptor> clients,
			@Nullable RegistrationDescriptor registration) implements OperationResponseBody {
	}

	/**
	 * A served method.
	 *
	 * @param name the method's name
	 * @param authenticated whether callers must authenticate
	 */
	public record MethodDescriptor(String name, boolean authenticated) {
	}

	/**
	 * A configured client.
	 *
	 * @param url the URL it dials, {@code null} until it is first used
	 * @param state {@code NOT_CREATED}, {@code CONNECTED}, {@code DISCONNECTED} or
	 * {@code CLOSED}
	 */
	public record ClientDescriptor(@Nullable String url, String state) {
	}

	/**
	 * The Kontrol registration.
	 *
	 * @param state the registration state
	 * @param kontrolUrl the Kontrol URL
	 * @param registerUrl the URL registered, if any yet
	 * @param lastRegistered when it last registered, if ever
	 * @param lastHeartbeat when Kontrol last sent a heartbeat, if ever
	 * @param lastError the last failure's message, if any
	 */
	public record RegistrationDescriptor(String state, String kontrolUrl, @Nullable String registerUrl,
			@Nullable String lastRegistered, @Nullable String lastHeartbeat, @Nullable String lastError) {

		static RegistrationDescriptor of(KontrolRegistrationStatus status) {
			return new RegistrationDescriptor(status.state().name(), withoutUserInfo(status.kontrolUrl().toString()),
					(status.registerUrl() != null) ? String.valueOf(status.registerUrl()) : null,
					(status.lastRegistered() != null) ? String.valueOf(status.lastRegistered()) : null,
					(status.lastHeartbeat() != null) ? String.valueOf(status.lastHeartbeat()) : null,
					status.lastError());
		}

	}

}
