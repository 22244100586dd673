package dev.kite.kontrol.store;

import java.time.Instant;
import java.util.Objects;

import dev.kite.protocol.Kite;

/**
 * One registration as a store holds it: the kite (all seven fields), the URL it
 * registered, the id of the key pair its tokens are signed with, and when it was last
 * written (a record not refreshed for {@link KiteStore#RECORD_TTL} expires).
 *
 * @param kite the registered kite; its {@code id} identifies the record
 * @param url the URL the kite registered, e.g. {@code http://10.0.0.5:3636/kite}
 * @param keyId the id of the {@link KontrolKeyPair} that signs tokens for this kite
 * @param updatedAt when the record was last upserted or refreshed
 */
public record KiteRecord(Kite kite, String url, String keyId, Instant updatedAt) {

	public KiteRecord {
		Objects.requireNonNull(kite, "kite");
		Objects.requireNonNull(url, "url");
		Objects.requireNonNull(keyId, "keyId");
		Objects.requireNonNull(updatedAt, "updatedAt");
	}

}
