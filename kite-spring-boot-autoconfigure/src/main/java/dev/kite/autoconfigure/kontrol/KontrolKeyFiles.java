package dev.kite.autoconfigure.kontrol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;
import java.util.UUID;

import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.KiteKeys;
import dev.kite.auth.key.RsaPem;
import dev.kite.kontrol.Kontrol;
import dev.kite.kontrol.KontrolKeys;
import dev.kite.kontrol.store.KontrolKeyPair;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Kontrol's key pair and kite key on disk: the pair from
 * {@code kite.kontrol.server.public-key-file}/{@code private-key-file}, or from
 * {@code key-dir} (generated there on first start), and a kite key {@code kite.key} in
 * {@code key-dir} (issued on first start) that a Go kite with {@code KITE_HOME} set to
 * that directory uses to register. Failures name the property; key material is never
 * logged or put into a message.
 *
 * <p>
 * Stateless; called once at startup, on the thread that creates the beans.
 */
public final class KontrolKeyFiles {

	/** The public key file in {@code key-dir} (PEM, PKIX). */
	public static final String PUBLIC_KEY_FILE = "kontrol.pub";

	/** The private key file in {@code key-dir} (PEM, PKCS#8). */
	static final String PRIVATE_KEY_FILE = "kontrol.pem";

	private static final Logger logger = LoggerFactory.getLogger(KontrolKeyFiles.class);

	private static final String KEY_DIR = KontrolServerProperties.PREFIX + ".key-dir";

	private static final String PUBLIC_KEY_FILE_PROPERTY = KontrolServerProperties.PREFIX + ".public-key-file";

	private static final String PRIVATE_KEY_FILE_PROPERTY = KontrolServerProperties.PREFIX + ".private-key-file";

	private KontrolKeyFiles() {
	}

	/**
	 * The key pair: the configured files, else the pair in {@code key-dir}, generated and
	 * written there when neither file exists.
	 */
	public static KontrolKeyPair keyPair(KontrolServerProperties properties) {
		Path publicKeyFile = properties.getPublicKeyFile();
		Path privateKeyFile = properties.getPrivateKeyFile();
		if (publicKeyFile != null || privateKeyFile != null) {
			if (publicKeyFile == null) {
				throw new InvalidConfigurationPropertyValueException(PUBLIC_KEY_FILE_PROPERTY, "(not set)",
						"Must be set with " + PRIVATE_KEY_FILE_PROPERTY);
			}
			if (privateKeyFile == null) {
				throw new InvalidConfigurationPropertyValueException(PRIVATE_KEY_FILE_PROPERTY, "(not set)",
						"Must be set with " + PUBLIC_KEY_FILE_PROPERTY);
			}
			return read(publicKeyFile, PUBLIC_KEY_FILE_PROPERTY, privateKeyFile, PRIVATE_KEY_FILE_PROPERTY);
		}
		Path dir = properties.getKeyDir();
		Path publicKey = dir.resolve(PUBLIC_KEY_FILE);
		Path privateKey = dir.resolve(PRIVATE_KEY_FILE);
		boolean publicExists = Files.exists(publicKey);
		boolean privateExists = Files.exists(privateKey);
		if (publicExists && privateExists) {
			return read(publicKey, KEY_DIR, privateKey, KEY_DIR);
		}
		if (publicExists || privateExists) {
			// Generating a new half would leave a pair that does not match.
			throw new InvalidConfigurationPropertyValueException(KEY_DIR, dir.toString(),
					"Holds only one of " + PUBLIC_KEY_FILE + " and " + PRIVATE_KEY_FILE
							+ ": restore the other or remove both to generate a new pair");
		}
		KontrolKeyPair generated = KontrolKeys.generate();
		KontrolKeyPair pair = new KontrolKeyPair(idOf(generated.publicKey()), generated.publicKey(),
				generated.privateKey());
		createDirectories(dir);
		write(privateKey, pair.privateKey() + "\n", true);
		write(publicKey, pair.publicKey() + "\n", false);
		logger.info("Generated Kontrol's key pair in {}", dir);
		return pair;
	}

	/**
	 * Writes {@code key-dir/kite.key}, a kite key for Kontrol's own user, unless it
	 * exists. An existing one signed by another pair is left as it is, with a warning.
	 */
	static void writeKiteKey(KontrolServerProperties properties, Kontrol kontrol) {
		Path dir = properties.getKeyDir();
		Path file = dir.resolve(KiteKeys.FILE_NAME);
		if (Files.exists(file)) {
			Optional<KiteKey> existing;
			try {
				existing = KiteKeys.load(null, file);
			}
			catch (IllegalStateException ex) {
				throw new InvalidConfigurationPropertyValueException(KEY_DIR, dir.toString(),
						"Its " + KiteKeys.FILE_NAME + " is not a kite key: " + ex.getMessage());
			}
			String publicKey = kontrol.selfKeyPair().publicKey().strip();
			if (existing.isPresent() && !existing.get().kontrolKey().strip().equals(publicKey)) {
				logger.warn("{} was issued by another key pair than Kontrol's current one; "
						+ "delete it to have a new one issued", file);
			}
			return;
		}
		createDirectories(dir);
		write(file, kontrol.issueKiteKey(kontrol.kite().username()), true);
		logger.info("Issued a kite key for '{}' in {}", kontrol.kite().username(), file);
	}

	private static KontrolKeyPair read(Path publicKeyFile, String publicProperty, Path privateKeyFile,
			String privateProperty) {
		String publicPem = readString(publicKeyFile, publicProperty).strip();
		String privatePem = readString(privateKeyFile, privateProperty).strip();
		RSAPublicKey publicKey;
		try {
			publicKey = RsaPem.parsePublicKey(publicPem);
		}
		catch (RsaPem.InvalidPemException ex) {
			throw new InvalidConfigurationPropertyValueException(publicProperty, publicKeyFile.toString(),
					"Not an RSA public key in PEM form (" + ex.getMessage() + ")");
		}
		RSAPrivateKey privateKey;
		try {
			privateKey = KontrolKeys.parsePrivateKey(privatePem);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(privateProperty, privateKeyFile.toString(),
					"Not an RSA private key in PEM form (" + ex.getMessage() + ")");
		}
		// A mismatched pair would sign tokens no kite trusting the public key accepts.
		if (!publicKey.getModulus().equals(privateKey.getModulus()) || (privateKey instanceof RSAPrivateCrtKey crt
				&& !crt.getPublicExponent().equals(publicKey.getPublicExponent()))) {
			throw new InvalidConfigurationPropertyValueException(privateProperty, privateKeyFile.toString(),
					"Does not belong to the public key in " + publicKeyFile);
		}
		return new KontrolKeyPair(idOf(publicPem), publicPem, privatePem);
	}

	/**
	 * A stable id for a pair: the same files give the same id on every start, so records
	 * in a shared store keep pointing at it.
	 */
	private static String idOf(String publicPem) {
		return UUID.nameUUIDFromBytes(publicPem.getBytes(StandardCharsets.UTF_8)).toString();
	}

	private static String readString(Path file, String property) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidConfigurationPropertyValueException(property, file.toString(),
					"Cannot be read: " + ex.getClass().getSimpleName() + describe(ex.getMessage()));
		}
	}

	private static void createDirectories(Path dir) {
		try {
			Files.createDirectories(dir);
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidConfigurationPropertyValueException(KEY_DIR, dir.toString(),
					"Cannot be created: " + ex.getClass().getSimpleName() + describe(ex.getMessage()));
		}
	}

	private static void write(Path file, String content, boolean secret) {
		try {
			boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
			if (secret && posix) {
				// Created owner-only, so the key is never readable by others, not even
				// briefly.
				Files.createFile(file,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
				Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
			}
			else {
				Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
						StandardOpenOption.WRITE);
			}
		}
		catch (FileAlreadyExistsException ex) {
			// Another process wrote it between the check and now: theirs is kept.
			throw new InvalidConfigurationPropertyValueException(KEY_DIR, String.valueOf(file.getParent()),
					file.getFileName() + " appeared while Kontrol was writing it; start again");
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidConfigurationPropertyValueException(KEY_DIR, String.valueOf(file.getParent()),
					"Cannot write " + file.getFileName() + ": " + ex.getClass().getSimpleName()
							+ describe(ex.getMessage()));
		}
	}

	private static String describe(@Nullable String message) {
		return (message != null) ? " (" + message + ")" : "";
	}

}
