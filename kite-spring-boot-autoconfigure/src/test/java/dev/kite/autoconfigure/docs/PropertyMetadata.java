package dev.kite.autoconfigure.docs;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanUtils;
import org.springframework.util.ClassUtils;

/**
 * The {@code kite.*} properties of the configuration metadata that Spring Boot's
 * configuration processor generates for this module
 * ({@code META-INF/spring-configuration-metadata.json} on the class path), as the README
 * names them: a {@code Map<String, T>} property whose values are kite types is expanded
 * to {@code <prefix>.<name>.<property of T>} (the processor documents only the map
 * itself, so the value type's bean properties are read by reflection). Immutable once
 * loaded.
 */
final class PropertyMetadata {

	private static final String MAP_KEY = "<name>";

	private static final Pattern MAP_TYPE = Pattern.compile("java\\.util\\.Map<java\\.lang\\.String,\\s*(.+)>");

	// Documented name -> default value from the metadata (null when it has none).
	private final Map<String, String> properties;

	private PropertyMetadata(Map<String, String> properties) {
		this.properties = properties;
	}

	static PropertyMetadata load() {
		Map<String, String> properties = new TreeMap<>();
		JsonMapper mapper = JsonMapper.builder().build();
		try {
			Enumeration<URL> resources = PropertyMetadata.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json");
			for (URL resource : Collections.list(resources)) {
				JsonNode root;
				try (InputStream in = resource.openStream()) {
					root = mapper.readTree(in);
				}
				for (JsonNode property : root.path("properties")) {
					String name = property.path("name").asString();
					if (!name.startsWith("kite.")) {
						continue;
					}
					String type = property.path("type").asString("");
					Matcher map = MAP_TYPE.matcher(type);
					if (map.matches() && map.group(1).startsWith("dev.kite.")) {
						expand(name + "." + MAP_KEY, load(map.group(1)), properties);
					}
					else {
						JsonNode defaultValue = property.get("defaultValue");
						properties.put(name,
								(defaultValue != null && defaultValue.isValueNode()) ? defaultValue.asString() : null);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (properties.isEmpty()) {
			throw new IllegalStateException("No kite.* properties in META-INF/spring-configuration-metadata.json");
		}
		return new PropertyMetadata(Collections.unmodifiableMap(properties));
	}

	private static Class<?> load(String binaryName) {
		try {
			return ClassUtils.forName(binaryName.replace('$', '.'), PropertyMetadata.class.getClassLoader());
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void expand(String prefix, Class<?> type, Map<String, String> properties) {
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getReadMethod() == null || descriptor.getName().equals("class")) {
				continue;
			}
			String name = prefix + "." + kebab(descriptor.getName());
			Class<?> propertyType = descriptor.getPropertyType();
			if (descriptor.getWriteMethod() == null) {
				if (propertyType.getName().startsWith("dev.kite.") && !propertyType.isEnum()) {
					expand(name, propertyType, properties);
				}
			}
			else {
				properties.put(name, null);
			}
		}
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
	}

	/** The property names as the README writes them ({@code <name>} for map keys). */
	Set<String> names() {
		return this.properties.keySet();
	}

	/** The metadata's default of a property, or {@code null}. */
	String defaultValue(String name) {
		return this.properties.get(name);
	}

	/**
	 * The documented name a concrete key stands for ({@code kite.clients.math.url} ->
	 * {@code kite.clients.<name>.url}; list indexes dropped), or {@code null} when no
	 * property matches.
	 * @param key a key as written in configuration
	 * @return the property name or {@code null}
	 */
	String resolve(String key) {
		String plain = key.replaceAll("\\[\\d+]", "");
		if (this.properties.containsKey(plain)) {
			return plain;
		}
		for (String name : this.properties.keySet()) {
			int at = name.indexOf(MAP_KEY);
			if (at < 0 || !plain.startsWith(name.substring(0, at))) {
				continue;
			}
			String rest = plain.substring(at);
			int dot = rest.indexOf('.');
			if (dot > 0 && name.substring(at + MAP_KEY.length()).equals(rest.substring(dot))) {
				return name;
			}
		}
		return null;
	}

	/**
	 * Whether a name is a group: some property starts with it and a dot.
	 * @param name a name such as {@code kite.kontrol.server}
	 * @return whether it prefixes a property
	 */
	boolean isGroup(String name) {
		String prefix = name + ".";
		return this.properties.keySet().stream().anyMatch((property) -> property.startsWith(prefix));
	}

	Map<String, String> asMap() {
		return new LinkedHashMap<>(this.properties);
	}

}
