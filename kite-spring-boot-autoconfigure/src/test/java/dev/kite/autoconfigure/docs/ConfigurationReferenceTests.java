package dev.kite.autoconfigure.docs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's configuration reference against the metadata the configuration processor
 * generates: every {@code kite.*} property is documented, every documented property
 * exists, the defaults the table states are the metadata's, and the prose names only
 * properties (or groups of them) that exist. Fails naming each offending property and
 * README line.
 */
class ConfigurationReferenceTests {

	// Go's built-in kite methods share the "kite." prefix with the properties.
	private static final Set<String> KITE_METHODS = Set.of("kite.ping", "kite.heartbeat", "kite.systemInfo", "kite.log",
			"kite.print", "kite.prompt", "kite.getPass");

	// Micrometer meter names (README "Observability"), not properties.
	private static final Set<String> METER_NAMES = Set.of("kite.server.requests", "kite.client.requests",
			"kite.server.connections", "kite.server.calls.active");

	// kite-spring-boot-test's own properties: its ReadmeTestingExampleTests checks them
	// against that module's metadata, which this module cannot see.
	private static final String TEST_SUPPORT_PREFIX = "kite.test.";

	private static final Pattern CODE = Pattern.compile("`(--)?(kite\\.[A-Za-z0-9.<>\\[\\]*-]+)");

	private final Readme readme = Readme.load();

	private final PropertyMetadata metadata = PropertyMetadata.load();

	@Test
	void everyPropertyIsDocumented() {
		Set<String> documented = documented();
		Set<String> undocumented = new TreeSet<>(this.metadata.names());
		undocumented.removeAll(documented);
		assertThat(undocumented)
			.as("kite.* properties missing from the README's configuration reference (add a row, or a name to a "
					+ "grouped row: `kite.a.b`, `c` documents kite.a.b and kite.a.c)")
			.isEmpty();
	}

	@Test
	void everyDocumentedPropertyExists() {
		List<String> stale = new ArrayList<>();
		for (Readme.TableRow row : this.readme.configurationRows()) {
			for (String property : row.properties()) {
				if (!this.metadata.names().contains(property)) {
					stale.add("README.md:" + row.line() + ": " + property);
				}
			}
		}
		assertThat(stale).as("documented properties that no longer exist").isEmpty();
	}

	@Test
	void everyPropertyIsDocumentedOnce() {
		Set<String> seen = new LinkedHashSet<>();
		List<String> twice = new ArrayList<>();
		for (Readme.TableRow row : this.readme.configurationRows()) {
			for (String property : row.properties()) {
				if (!seen.add(property)) {
					twice.add("README.md:" + row.line() + ": " + property);
				}
			}
		}
		assertThat(twice).as("properties documented in more than one row").isEmpty();
	}

	/**
	 * A row's default cell lists one backticked value per property (or one for all);
	 * where the metadata knows a scalar default, the value must be it. Defaults the
	 * metadata does not know (computed ones such as {@code spring.application.name}) are
	 * prose.
	 */
	@Test
	void documentedDefaultsAreTheMetadatas() {
		List<String> wrong = new ArrayList<>();
		for (Readme.TableRow row : this.readme.configurationRows()) {
			List<String> properties = row.properties();
			for (int i = 0; i < properties.size(); i++) {
				String expected = this.metadata.defaultValue(properties.get(i));
				if (expected == null || row.defaults().isEmpty()) {
					continue;
				}
				String stated = (properties.size() == row.defaults().size()) ? row.defaults().get(i)
						: row.defaults().get(0);
				if (!normalize(stated).equals(normalize(expected))) {
					wrong.add("README.md:" + row.line() + ": " + properties.get(i) + " states `" + stated
							+ "`, the metadata says " + expected);
				}
			}
		}
		assertThat(wrong).as("defaults in the configuration reference").isEmpty();
	}

	@Test
	void proseNamesOnlyExistingProperties() {
		List<String> unknown = new ArrayList<>();
		List<String> lines = this.readme.lines();
		boolean inFence = false;
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			if (line.startsWith("```")) {
				inFence = !inFence;
			}
			if (inFence) {
				continue;
			}
			Matcher matcher = CODE.matcher(line);
			while (matcher.find()) {
				String name = matcher.group(2).replaceAll("[.*]+$", "").replaceAll("=.*", "");
				if (!KITE_METHODS.contains(name) && !METER_NAMES.contains(name) && !name.startsWith(TEST_SUPPORT_PREFIX)
						&& this.metadata.resolve(name) == null && !this.metadata.names().contains(name)
						&& !this.metadata.isGroup(name)) {
					unknown.add("README.md:" + (i + 1) + ": " + name);
				}
			}
		}
		assertThat(unknown).as("`kite.*` names in the README that are neither a property nor a group of them")
			.isEmpty();
	}

	private Set<String> documented() {
		Set<String> documented = new TreeSet<>();
		this.readme.configurationRows().forEach((row) -> documented.addAll(row.properties()));
		return documented;
	}

	private static String normalize(String value) {
		return value.trim().toLowerCase(Locale.ROOT);
	}

}
