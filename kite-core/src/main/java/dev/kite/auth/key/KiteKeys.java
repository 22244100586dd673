package dev.kite.auth.key;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Finds and parses the local kite key (PROTOCOL §4.8).
 *
 * <p>
 * Resolution order, first match wins:
 * <ol>
 * <li>the inline key (property {@code kite.key}), when not blank;</li>
 * <li>the given file (property {@code kite.key-file}), which must then exist;</li>
 * <li>{@code $KITE_HOME/kite.key} when {@code KITE_HOME} is set and not empty (as in Go,
 * the home directory is then not consulted);</li>
 * <li>{@code ~/.kite/kite.key}.</li>
 * </ol>
 * A missing file in the last two places means "no kite key" ({@link Optional#empty()}).
 * Content is trimmed. A key that does not parse fails with an
 * {@link IllegalStateException} whose message names the source (the file path, or
 * {@code property kite.key}) but never contains the key.
 *
 * <p>
 * Stateless and thread-safe.
 */
public final class KiteKeys {

	/** The file name under the kite home directory. */
	public static final String FILE_NAME = "kite.key";

	/** The source name used in messages for an inline key. */
	public static final String INLINE_SOURCE = "property kite.key";

	private KiteKeys() {
	}

	/**
	 * Loads the kite key using the process environment and the {@code user.home} system
	 * property.
	 * @param inline the inline key, or {@code null}
	 * @param file an explicitly configured key file, or {@code null}
	 * @return the key, or empty when none is configured and no default file exists
	 * @throws IllegalStateException when the key is malformed, or the explicit file is
	 * missing
	 * @throws UncheckedIOException when a key file exists but cannot be read
	 */
	public static Optional<KiteKey> load(@Nullable String inline, @Nullable Path file) {
		String home = System.getProperty("user.home");
		return load(inline, file, System::getenv, (home != null) ? Path.of(home) : null);
	}

	/**
	 * Loads the kite key with the environment and home directory given (for tests and
	 * embedding).
	 * @param inline the inline key, or {@code null}
	 * @param file an explicitly configured key file, or {@code null}
	 * @param env looks up environment variables (only {@code KITE_HOME} is read)
	 * @param userHome the user's home directory, or {@code null} when unknown
	 * @return the key, or empty when none is configured and no default file exists
	 * @throws IllegalStateException when the key is malformed, or the explicit file is
	 * missing
	 * @throws UncheckedIOException when a key file exists but cannot be read
	 */
	public static Optional<KiteKey> load(@Nullable String inline, @Nullable Path file,
			Function<String, @Nullable String> env, @Nullable Path userHome) {
		if (inline != null && !inline.isBlank()) {
			return Optional.of(parse(inline, INLINE_SOURCE));
		}
		if (file != null) {
			String content = read(file);
			if (content == null) {
				throw new IllegalStateException("Kite key file " + file + " does not exist");
			}
			return Optional.of(parse(content, file.toString()));
		}
		Path defaultFile = defaultFile(env, userHome);
		if (defaultFile == null) {
			return Optional.empty();
		}
		String content = read(defaultFile);
		return (content != null) ? Optional.of(parse(content, defaultFile.toString())) : Optional.empty();
	}

	/**
	 * Go's default location: {@code $KITE_HOME/kite.key}, else
	 * {@code <home>/.kite/kite.key}.
	 * @param env looks up environment variables
	 * @param userHome the home directory, or {@code null}
	 * @return the path, or {@code null} when neither {@code KITE_HOME} nor a home
	 * directory is known
	 */
	public static @Nullable Path defaultFile(Function<String, @Nullable String> env, @Nullable Path userHome) {
		String kiteHome = env.apply("KITE_HOME");
		if (kiteHome != null && !kiteHome.isEmpty()) {
			return Path.of(kiteHome).resolve(FILE_NAME);
		}
		return (userHome != null) ? userHome.resolve(".kite").resolve(FILE_NAME) : null;
	}

	private static @Nullable String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read kite key file " + file, ex);
		}
	}

	private static KiteKey parse(String content, String source) {
		if (content.isBlank()) {
			throw new IllegalStateException("Malformed kite key in " + source + ": it is empty");
		}
		try {
			return KiteKey.parse(content);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("Malformed kite key in " + source + ": " + ex.getMessage());
		}
	}

}
