package dev.kite.kontrol.store.jdbc;

import java.util.regex.Pattern;

/**
 * The ids the Go schema stores as {@code uuid}: kite ids and key pair ids.
 */
final class KiteIds {

	private static final Pattern UUID = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private KiteIds() {
	}

	/** Whether the id is a UUID in its usual 8-4-4-4-12 hexadecimal form. */
	static boolean isUuid(String id) {
		return UUID.matcher(id).matches();
	}

	/**
	 * Checks an id about to be written.
	 * @throws IllegalArgumentException naming the id if it is not a UUID
	 */
	static String requireUuid(String what, String id) {
		if (!isUuid(id)) {
			throw new IllegalArgumentException(
					what + " '" + id + "' is not a UUID (the Kontrol schema stores ids as uuid)");
		}
		return id;
	}

}
