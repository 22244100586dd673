package dev.kite.benchmarks;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The options of one subcommand: {@code --name value} or {@code --name=value}, each at
 * most once. A command reads the options it knows and then calls
 * {@link #requireAllRead()}, so a misspelt option fails instead of silently measuring
 * something else. Every problem is a {@link UsageException}.
 *
 * <p>
 * Not thread-safe: the command's main thread reads it.
 */
public final class BenchmarkArguments {

	private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

	private final Map<String, String> values;

	private final Set<String> read = new HashSet<>();

	private BenchmarkArguments(Map<String, String> values) {
		this.values = values;
	}

	/**
	 * Parses a command line.
	 * @param args the arguments after the command's name
	 * @return the options
	 * @throws UsageException when an argument is not an option or an option repeats
	 */
	public static BenchmarkArguments parse(String... args) {
		Map<String, String> values = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("--") || arg.length() == 2) {
				throw new UsageException("Expected an option (--name value) but got '" + arg + "'");
			}
			String name;
			String value;
			int equals = arg.indexOf('=');
			if (equals > 0) {
				name = arg.substring(2, equals);
				value = arg.substring(equals + 1);
			}
			else {
				if (i + 1 >= args.length) {
					throw new UsageException("Option --" + arg.substring(2) + " needs a value");
				}
				name = arg.substring(2);
				value = args[++i];
			}
			if (values.put(name, value) != null) {
				throw new UsageException("Option --" + name + " is given twice");
			}
		}
		return new BenchmarkArguments(values);
	}

	/**
	 * A text option.
	 * @param name the option's name without {@code --}
	 * @param defaultValue the value when it is absent
	 * @return the value
	 */
	public String string(String name, String defaultValue) {
		String value = optionalString(name);
		return (value != null) ? value : defaultValue;
	}

	/**
	 * A text option without a default.
	 * @param name the option's name without {@code --}
	 * @return the value, or {@code null} when absent
	 */
	public @Nullable String optionalString(String name) {
		this.read.add(name);
		return this.values.get(name);
	}

	/**
	 * One of a fixed set of words.
	 * @param name the option's name without {@code --}
	 * @param defaultValue the value when it is absent
	 * @param allowed the words allowed
	 * @return the value
	 */
	public String choice(String name, String defaultValue, List<String> allowed) {
		String value = string(name, defaultValue);
		if (!allowed.contains(value)) {
			throw new UsageException("Option --" + name + " must be one of " + allowed + " but was '" + value + "'");
		}
		return value;
	}

	/**
	 * A whole number.
	 * @param name the option's name without {@code --}
	 * @param defaultValue the value when it is absent
	 * @param min the smallest value allowed
	 * @return the value
	 */
	public int integer(String name, int defaultValue, int min) {
		String value = optionalString(name);
		if (value == null) {
			return defaultValue;
		}
		int parsed;
		try {
			parsed = Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new UsageException("Option --" + name + " must be a whole number but was '" + value + "'");
		}
		if (parsed < min) {
			throw new UsageException("Option --" + name + " must be at least " + min + " but was " + parsed);
		}
		return parsed;
	}

	/**
	 * A duration written as a whole number and a unit: {@code 500ms}, {@code 10s},
	 * {@code 2m}, {@code 1h}.
	 * @param name the option's name without {@code --}
	 * @param defaultValue the value when it is absent
	 * @return the value
	 */
	public Duration duration(String name, Duration defaultValue) {
		String value = optionalString(name);
		if (value == null) {
			return defaultValue;
		}
		Matcher matcher = DURATION.matcher(value.toLowerCase(Locale.ROOT));
		if (!matcher.matches()) {
			throw new UsageException(
					"Option --" + name + " must be a duration such as 500ms, 10s or 2m but was '" + value + "'");
		}
		long amount = Long.parseLong(matcher.group(1));
		return switch (matcher.group(2)) {
			case "ms" -> Duration.ofMillis(amount);
			case "s" -> Duration.ofSeconds(amount);
			case "m" -> Duration.ofMinutes(amount);
			default -> Duration.ofHours(amount);
		};
	}

	/**
	 * Fails when an option was given that the command never read.
	 * @throws UsageException naming the unknown options
	 */
	public void requireAllRead() {
		Set<String> unknown = new TreeSet<>(this.values.keySet());
		unknown.removeAll(this.read);
		if (!unknown.isEmpty()) {
			throw new UsageException("Unknown option(s): --" + String.join(", --", unknown));
		}
	}

	/** A command line that cannot be understood; the message says why. */
	public static final class UsageException extends IllegalArgumentException {

		private static final long serialVersionUID = 1L;

		/**
		 * @param message what is wrong, for the user
		 */
		public UsageException(String message) {
			super(message);
		}

	}

}
