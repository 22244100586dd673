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

	/**
	 * Parses the path form of a query, e.g. {@code /alice/production/math}: the seven
	 * fields in order, general to specific, missing parts empty (as
	 * {@link Kite#fromPath(String)}, Go's {@code KiteFromString}).
	 * @param path the query path
	 * @return the query
	 */
	public static KontrolQuery parse(String path) {
		return of(Kite.fromPath(path));
	}

	/**
	 * Parses the path form of a query and sets its version to a version or version
	 * constraint (e.g. {@code >=1.0.0}, which Kontrol evaluates, PROTOCOL §6.10).
	 * @param path the query path, e.g. {@code /alice/production/math}
	 * @param version the version or constraint; empty to keep the path's version part
	 * @return the query
	 */
	public static KontrolQuery parse(String path, String version) {
		KontrolQuery query = parse(path);
		return version.isEmpty() ? query : new KontrolQuery(query.username(), query.environment(), query.name(),
				version, query.region(), query.hostname(), query.id());
	}

	/**
	 * The path form, without trailing empty fields: {@code /alice/production/math}; the
	 * inverse of {@link #parse(String)} for gap-free queries.
	 */
	public String toPath() {
		String path = "/" + this.username + "/" + this.environment + "/" + this.name + "/" + this.version + "/"
				+ this.region + "/" + this.hostname + "/" + this.id;
		int end = path.length();
		while (end > 1 && path.charAt(end - 1) == '/') {
			end--;
		}
		return path.substring(0, end);
	}

	/** A query that matches exactly the given kite instance. */
	public static KontrolQuery of(Kite kite) {
		return new KontrolQuery(kite.username(), kite.environment(), kite.name(), kite.version(), kite.region(),
				kite.hostname(), kite.id());
	}

}
