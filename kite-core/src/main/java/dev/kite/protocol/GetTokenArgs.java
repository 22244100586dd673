package dev.kite.protocol;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The argument of Kontrol's {@code getToken}: the {@link KontrolQuery} fields flattened into one
 * object, plus {@code force} to bypass Kontrol's token cache.
 *
 * @param username owner
 * @param environment environment
 * @param name kite name
 * @param version version
 * @param region region
 * @param hostname hostname
 * @param id instance id
 * @param force whether to mint a fresh token
 */
@JsonPropertyOrder({ "username", "environment", "name", "version", "region", "hostname", "id", "force" })
public record GetTokenArgs(
		@JsonProperty("username") String username,
		@JsonProperty("environment") String environment,
		@JsonProperty("name") String name,
		@JsonProperty("version") String version,
		@JsonProperty("region") String region,
		@JsonProperty("hostname") String hostname,
		@JsonProperty("id") String id,
		@JsonProperty("force") boolean force) {

	public GetTokenArgs {
		username = Objects.requireNonNullElse(username, "");
		environment = Objects.requireNonNullElse(environment, "");
		name = Objects.requireNonNullElse(name, "");
		version = Objects.requireNonNullElse(version, "");
		region = Objects.requireNonNullElse(region, "");
		hostname = Objects.requireNonNullElse(hostname, "");
		id = Objects.requireNonNullElse(id, "");
	}

	/** The query part. */
	public KontrolQuery query() {
		return new KontrolQuery(this.username, this.environment, this.name, this.version, this.region,
				this.hostname, this.id);
	}

}
