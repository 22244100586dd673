package dev.kite.autoconfigure.kontrol;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of a Kontrol served by this application, under
 * {@code kite.kontrol.server.*}. Kontrol's username is {@code kite.username} (default
 * {@value #DEFAULT_USERNAME}); the WebSocket limits, allowed origins and SockJS settings
 * are the kite endpoint's ({@code kite.server.*}).
 */
@ConfigurationProperties(KontrolServerProperties.PREFIX)
public class KontrolServerProperties {

	/** The prefix of these properties. */
	public static final String PREFIX = "kite.kontrol.server";

	/** Kontrol's username when {@code kite.username} is not set. */
	public static final String DEFAULT_USERNAME = "kontrol";

	/**
	 * Whether to serve a Kontrol in this application.
	 */
	private boolean enabled;

	/**
	 * The path of Kontrol's kite endpoint. The HTTP endpoints "register" and "heartbeat"
	 * are served beside it: under the path, or, when it ends with "/kite", under what is
	 * left (as Go kites derive them from the Kontrol URL).
	 */
	private String path = "/kontrol";

	/**
	 * The directory of Kontrol's key pair (kontrol.pub, kontrol.pem) and kite key
	 * (kite.key): created with a new pair and a kite key on first start, reused
	 * afterwards.
	 */
	private Path keyDir = Path.of(System.getProperty("user.home"), ".kite", "kontrol");

	/**
	 * An existing public key (PEM, PKIX) to use instead of the pair in key-dir, e.g. a Go
	 * Kontrol's -publickeyfile. Needs private-key-file.
	 */
	private @Nullable Path publicKeyFile;

	/**
	 * An existing private key (PEM, PKCS#8 or PKCS#1) to use instead of the pair in
	 * key-dir, e.g. a Go Kontrol's -privatekeyfile. Needs public-key-file.
	 */
	private @Nullable Path privateKeyFile;

	/**
	 * Kontrol's URL as kites reach it, written as "kontrolURL" into the kite keys it
	 * issues. Defaults to http://localhost:{server.port}{path}.
	 */
	private @Nullable String publicUrl;

	/**
	 * Where kites and key pairs are stored.
	 */
	private Storage storage = Storage.MEMORY;

	/**
	 * The largest body accepted by POST register; larger ones are answered 413.
	 */
	private DataSize maxRegisterSize = DataSize.ofKilobytes(64);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public Path getKeyDir() {
		return this.keyDir;
	}

	public void setKeyDir(Path keyDir) {
		this.keyDir = keyDir;
	}

	public @Nullable Path getPublicKeyFile() {
		return this.publicKeyFile;
	}

	public void setPublicKeyFile(@Nullable Path publicKeyFile) {
		this.publicKeyFile = publicKeyFile;
	}

	public @Nullable Path getPrivateKeyFile() {
		return this.privateKeyFile;
	}

	public void setPrivateKeyFile(@Nullable Path privateKeyFile) {
		this.privateKeyFile = privateKeyFile;
	}

	public @Nullable String getPublicUrl() {
		return this.publicUrl;
	}

	public void setPublicUrl(@Nullable String publicUrl) {
		this.publicUrl = publicUrl;
	}

	public Storage getStorage() {
		return this.storage;
	}

	public void setStorage(Storage storage) {
		this.storage = storage;
	}

	public DataSize getMaxRegisterSize() {
		return this.maxRegisterSize;
	}

	public void setMaxRegisterSize(DataSize maxRegisterSize) {
		this.maxRegisterSize = maxRegisterSize;
	}

	/** Where Kontrol stores kites and key pairs. */
	public enum Storage {

		/** In this process: lost on restart (kites re-register within a heartbeat). */
		MEMORY,

		/** PostgreSQL, through {@code spring.datasource.*}. */
		POSTGRES

	}

}
