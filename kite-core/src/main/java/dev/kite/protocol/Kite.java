package dev.kite.protocol;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The identity of a kite: who owns it, where it runs and which instance it is. Sent as
 * the {@code kite} field of every call envelope and stored by Kontrol on registration.
 *
 * <p>
 * All seven fields are always present on the wire; an unknown value is {@code ""}, never
 * {@code null}.
 *
 * @param name the kite's name, e.g. {@code math}
 * @param username the owner's username
 * @param id a UUID unique to this running instance
 * @param environment e.g. {@code production}
 * @param region e.g. {@code eu}
 * @param version a three-part version, e.g. {@code 1.0.0}
 * @param hostname the host the kite runs on
 */
@JsonPropertyOrder({ "name", "username", "id", "environment", "region", "version", "hostname" })
public record Kite(@JsonProperty("name") String name, @JsonProperty("username") String username,
		@JsonProperty("id") String id, @JsonProperty("environment") String environment,
		@JsonProperty("region") String region, @JsonProperty("version") String version,
		@JsonProperty("hostname") String hostname) {

	/** The kite string fields in path order, as Kontrol and Go name them in errors. */
	public static final String[] FIELD_NAMES = { "username", "environment", "name", "version", "region", "hostname",
			"id" };

	public Kite {
		name = Objects.requireNonNullElse(name, "");
		username = Objects.requireNonNullElse(username, "");
		id = Objects.requireNonNullElse(id, "");
		environment = Objects.requireNonNullElse(environment, "");
		region = Objects.requireNonNullElse(region, "");
		version = Objects.requireNonNullElse(version, "");
		hostname = Objects.requireNonNullElse(hostname, "");
	}

	/**
	 * An identity with every field empty: what a caller that sent no {@code kite} is
	 * known as.
	 */
	public static Kite unknown() {
		return new Kite("", "", "", "", "", "", "");
	}

	/** A fresh random instance id, as Go and kite.js generate one per process. */
	public static String newId() {
		return UUID.randomUUID().toString();
	}

	/**
	 * This kite with another username (Kontrol and verifiers overwrite the claimed one).
	 */
	public Kite withUsername(String newUsername) {
		return new Kite(this.name, newUsername, this.id, this.environment, this.region, this.version, this.hostname);
	}

	/**
	 * The kite's path form
	 * {@code /<username>/<environment>/<name>/<version>/<region>/<hostname>/<id>}
	 * (PROTOCOL §6.11).
	 */
	public String toPath() {
		return "/" + this.username + "/" + this.environment + "/" + this.name + "/" + this.version + "/" + this.region
				+ "/" + this.hostname + "/" + this.id;
	}

	/**
	 * Parses the path form: the text after the leading {@code /} is split into at most
	 * seven parts, missing parts become {@code ""} (Go's {@code KiteFromString}).
	 * @param path a kite path such as {@code /devrim/production/math}
	 * @return the kite
	 */
	public static Kite fromPath(String path) {
		String body = path.startsWith("/") ? path.substring(1) : path;
		String[] parts = body.split("/", 7);
		String[] fields = new String[7];
		for (int i = 0; i < 7; i++) {
			fields[i] = (i < parts.length) ? parts[i] : "";
		}
		return new Kite(fields[2], fields[0], fields[6], fields[1], fields[4], fields[3], fields[5]);
	}

	@Override
	public String toString() {
		return toPath();
	}

}
