package dev.kite.kontrol.store.jdbc;

import java.io.IOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Starts the embedded PostgreSQL the tests run on.
 */
final class EmbeddedPostgresSupport {

	private EmbeddedPostgresSupport() {
	}

	static EmbeddedPostgres start() throws IOException {
		return EmbeddedPostgres.builder().start();
	}

}
