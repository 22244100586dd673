package dev.kite.kontrol.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.kite.kontrol.store.KiteRecord;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.protocol.Kite;
import dev.kite.protocol.KontrolQuery;

/**
 * How Kontrol answers a {@link KontrolQuery} (PROTOCOL §6.10), with the Go PostgreSQL
 * backend's rules: one exact, case-sensitive equality per non-empty field (gaps allowed,
 * so gap-free queries with a username, ID-only queries and gapped queries all work); all
 * fields empty fails with {@code all query fields are empty}. A {@code version} that is
 * not a version is a {@link VersionConstraint}: the lookup then matches username,
 * environment and name only and keeps the kites whose version satisfies the constraint
 * and whose {@code /region/hostname/id} starts with the query's.
 *
 * <p>
 * Unlike Go, the constraint filter also applies when exactly one kite matched (Go skips
 * it then and may return a kite that does not satisfy the constraint).
 *
 * <p>
 * Stateless and thread-safe.
 */
public final class KiteQueries {

	/** Go's message for a query without any field. */
	public static final String ALL_FIELDS_EMPTY = "all query fields are empty";

	private KiteQueries() {
	}

	/**
	 * The audience of tokens minted for a query (PROTOCOL §6.4): {@code /user/env/name},
	 * {@code /user/env} or {@code /user}; an ID-only query gives {@code /}, the root
	 * audience every kite accepts.
	 * @param query the query
	 * @return the audience
	 */
	public static String audience(KontrolQuery query) {
		if (!query.name().isEmpty()) {
			return "/" + query.username() + "/" + query.environment() + "/" + query.name();
		}
		if (!query.environment().isEmpty()) {
			return "/" + query.username() + "/" + query.environment();
		}
		return "/" + query.username();
	}

	/**
	 * Looks a query up.
	 * @param store the store
	 * @param query the query
	 * @return the matching records, in the store's order
	 * @throws IllegalArgumentException with Go's message when every field is empty or the
	 * version constraint is malformed
	 */
	public static List<KiteRecord> find(KiteStore store, KontrolQuery query) {
		if (isEmpty(query)) {
			throw new IllegalArgumentException(ALL_FIELDS_EMPTY);
		}
		Optional<VersionConstraint> constraint = constraint(query);
		if (constraint.isEmpty()) {
			return store.find(query);
		}
		KontrolQuery byName = new KontrolQuery(query.username(), query.environment(), query.name(), "", "", "", "");
		if (isEmpty(byName)) {
			throw new IllegalArgumentException(ALL_FIELDS_EMPTY);
		}
		List<KiteRecord> matching = new ArrayList<>();
		for (KiteRecord record : store.find(byName)) {
			if (satisfies(record.kite(), constraint.get(), query)) {
				matching.add(record);
			}
		}
		return matching;
	}

	/**
	 * Whether a kite matches a query, by the same rules as {@link #find} (for watchers).
	 * @param query the query
	 * @param kite the kite
	 * @return whether it matches
	 * @throws IllegalArgumentException when the version constraint is malformed
	 */
	public static boolean matches(KontrolQuery query, Kite kite) {
		Optional<VersionConstraint> constraint = constraint(query);
		if (constraint.isPresent()) {
			return matches(query.username(), kite.username()) && matches(query.environment(), kite.environment())
					&& matches(query.name(), kite.name()) && satisfies(kite, constraint.get(), query);
		}
		return matches(query.username(), kite.username()) && matches(query.environment(), kite.environment())
				&& matches(query.name(), kite.name()) && matches(query.version(), kite.version())
				&& matches(query.region(), kite.region()) && matches(query.hostname(), kite.hostname())
				&& matches(query.id(), kite.id());
	}

	/**
	 * The query's version constraint, when its {@code version} is neither empty nor a
	 * version.
	 * @param query the query
	 * @return the constraint, or empty
	 * @throws IllegalArgumentException when the constraint is malformed
	 */
	public static Optional<VersionConstraint> constraint(KontrolQuery query) {
		if (query.version().isEmpty() || GoVersion.parse(query.version()).isPresent()) {
			return Optional.empty();
		}
		return Optional.of(VersionConstraint.parse(query.version()));
	}

	private static boolean satisfies(Kite kite, VersionConstraint constraint, KontrolQuery query) {
		Optional<GoVersion> version = GoVersion.parse(kite.version());
		if (version.isEmpty() || !constraint.check(version.get())) {
			return false;
		}
		return rest(kite.region(), kite.hostname(), kite.id())
			.startsWith(rest(query.region(), query.hostname(), query.id()));
	}

	/** Go's {@code "/" + strings.TrimRight(region+"/"+hostname+"/"+id, "/")}. */
	private static String rest(String region, String hostname, String id) {
		String joined = region + "/" + hostname + "/" + id;
		int end = joined.length();
		while (end > 0 && joined.charAt(end - 1) == '/') {
			end--;
		}
		return "/" + joined.substring(0, end);
	}

	private static boolean matches(String wanted, String actual) {
		return wanted.isEmpty() || wanted.equals(actual);
	}

	private static boolean isEmpty(KontrolQuery query) {
		return query.username().isEmpty() && query.environment().isEmpty() && query.name().isEmpty()
				&& query.version().isEmpty() && query.region().isEmpty() && query.hostname().isEmpty()
				&& query.id().isEmpty();
	}

}
