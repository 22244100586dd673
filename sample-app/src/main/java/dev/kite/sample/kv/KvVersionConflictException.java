package dev.kite.sample.kv;

/**
 * A put named a version that is not the key's current one.
 */
public class KvVersionConflictException extends RuntimeException {

	private final String message;

	private final long currentVersion;

	/**
	 * @param key the key
	 * @param expectedVersion the version the put named
	 * @param currentVersion the key's current version, 0 when the key does not exist
	 */
	public KvVersionConflictException(String key, long expectedVersion, long currentVersion) {
		this(key, "Version " + expectedVersion + " of key '" + key + "' is stale: the current version is "
				+ currentVersion, currentVersion);
	}

	private KvVersionConflictException(String key, String message, long currentVersion) {
		super(message, null, false, false); // control flow of a put: no stack trace
		this.message = message;
		this.currentVersion = currentVersion;
	}

	/** Says which version was stale and which is current; safe to show the caller. */
	@Override
	public String getMessage() {
		return this.message;
	}

	/** The key's current version, 0 when the key does not exist. */
	public long currentVersion() {
		return this.currentVersion;
	}

}
