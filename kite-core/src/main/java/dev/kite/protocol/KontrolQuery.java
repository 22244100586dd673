package dev.kite.protocol;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A Kontrol lookup: the seven kite fields, ordered general to specific, {@code ""}
 * meaning unset (PROTOCOL §6.2). Go sends all seven fields.
 *
 * @param username owner
 * @param environment environment
 * @param name kite name
 * @param version a version or a version constraint
 * @param region region
 * @param hostname hostname
 * @param id instance id
 */
@JsonPropertyOrder({ "username", "environment", "name", "version", "region", "hostname", "id" })
public record KontrolQuery(@JsonProperty("username") String username, @JsonProperty("environment") String environment,
		@JsonProperty("name") String name, @JsonProperty("version") String version,
		@JsonProperty("region") String region, @JsonProperty("hostname") String hostname,
		@JsonProperty("id") String id) {

	public KontrolQuery {
		username = Objects.requireNonNullElse(username, "");
		environment = Objects.requireNonNullElse(environment, "");
		name = Objects.requireNonNullElse(name, "");
		version = Objects.requireNonNullElse(version, "");
		region = Objects.requireNonNullElse(region, "");
		hostname = Objects.requireNonNullElse(hostname, "");
		id = Objects.requireNonNullElse(id, "");
	}

	/** A query that matches exactly the given kite instance. */
	public static KontrolQuery of(Kite kite) {
		return new KontrolQuery(kite.username(), kite.environment(), kite.name(), kite.version(), kite.region(),
				kite.hostname(), kite.id());
	}

}
