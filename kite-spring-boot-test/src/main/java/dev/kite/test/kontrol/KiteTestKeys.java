package dev.kite.test.kontrol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;

import dev.kite.kontrol.Kontrol;
import dev.kite.kontrol.KontrolKeys;
import dev.kite.kontrol.KontrolSettings;
import dev.kite.kontrol.KontrolTokens;
import dev.kite.kontrol.store.KontrolKeyPair;
import dev.kite.protocol.Kite;
import org.jspecify.annotations.Nullable;

/**
 * Mints kite keys and tokens as the application's embedded {@link Kontrol} does, valid
 * and deliberately broken ones, for security tests:
 *
 * <pre class="code">
 * tester.withToken(keys.token()).call("squareAuth", 3).result(Double.class).isEqualTo(9.0);
 * tester.withToken(keys.expiredToken()).call("squareAuth", 3).error().hasType("authenticationError");
 * tester.withToken(keys.wrongAudienceToken()).call("squareAuth", 3).error().messageContains("audience");
 * tester.withKiteKey(keys.forgedKiteKey("mallory")).call("squareAuth", 3).error().hasType("authenticationError");
 * </pre>
 *
 * Tokens are signed with Kontrol's own key pair by {@link KontrolTokens}, byte for byte
 * what Kontrol's {@code getToken} and {@code getKites} answer with (PROTOCOL §4.2); the
 * token audience is {@code /username/environment/name} of the application's kite. A
 * "forged" credential is signed by a key pair Kontrol never stored, with every claim
 * right.
 *
 * <p>
 * Thread safety: thread-safe; the forging key pair is generated once, on first use.
 */
public final class KiteTestKeys {

	/** The subject ({@code sub}) of tokens that name none: the caller's username. */
	public static final String DEFAULT_SUBJECT = "test";

	private final Kontrol kontrol;

	private final Kite localKite;

	private volatile @Nullable KontrolKeyPair forgingPair;

	/**
	 * @param kontrol the Kontrol whose key pair signs
	 * @param localKite the application's kite, the audience of {@link #token()}
	 */
	public KiteTestKeys(Kontrol kontrol, Kite localKite) {
		this.kontrol = Objects.requireNonNull(kontrol, "kontrol");
		this.localKite = Objects.requireNonNull(localKite, "localKite");
	}

	/** Kontrol's public key (PEM), the {@code kontrolKey} of the kite keys it issues. */
	public String kontrolPublicKey() {
		return this.kontrol.selfKeyPair().publicKey();
	}

	/** Kontrol's username, the issuer ({@code iss}) of everything it signs. */
	public String kontrolUser() {
		return this.kontrol.kite().username();
	}

	/**
	 * The audience of tokens for the application's kite: {@code /username/env/name}.
	 * @return the audience
	 */
	public String audience() {
		return "/" + this.localKite.username() + "/" + this.localKite.environment() + "/" + this.localKite.name();
	}

	/**
	 * A kite key for a user, as Kontrol issues it ({@code kontrol -initial}).
	 * @param username the owner
	 * @return the kite key JWT
	 */
	public String kiteKey(String username) {
		return this.kontrol.issueKiteKey(username);
	}

	/**
	 * A kite key with every claim right but signed by a key pair Kontrol does not know.
	 * @param username the owner
	 * @return the forged kite key JWT
	 */
	public String forgedKiteKey(String username) {
		return tokens(this.kontrol.settings().clock()).kiteKey(username, forgingPair(),
				this.kontrol.settings().kontrolUrl());
	}

	/**
	 * A valid token for calling the application's kite, for {@link #DEFAULT_SUBJECT}.
	 * @return the token JWT
	 */
	public String token() {
		return token(audience(), DEFAULT_SUBJECT);
	}

	/**
	 * A valid token for an audience, as Kontrol's {@code getToken} mints it now.
	 * @param audience the audience, e.g. {@link #audience()} or {@code /}
	 * @param subject the caller's username
	 * @return the token JWT
	 */
	public String token(String audience, String subject) {
		return tokens(this.kontrol.settings().clock()).token(audience, subject, this.kontrol.selfKeyPair(), true);
	}

	/**
	 * A token minted at another time: with {@code issuedAt} far enough in the past it is
	 * expired, in the future it is not valid yet.
	 * @param audience the audience
	 * @param subject the caller's username
	 * @param issuedAt when Kontrol would have minted it
	 * @return the token JWT
	 */
	public String token(String audience, String subject, Instant issuedAt) {
		return tokens(Clock.fixed(issuedAt, ZoneOffset.UTC)).token(audience, subject, this.kontrol.selfKeyPair(), true);
	}

	/**
	 * A token for the application's kite whose {@code exp} passed an hour ago (minted one
	 * token lifetime, plus the leeway, plus an hour, before now).
	 * @return the expired token JWT
	 */
	public String expiredToken() {
		KontrolSettings settings = this.kontrol.settings();
		Instant issuedAt = settings.clock()
			.instant()
			.minus(settings.tokenTtl())
			.minus(settings.tokenLeeway())
			.minus(Duration.ofHours(1));
		return token(audience(), DEFAULT_SUBJECT, issuedAt);
	}

	/**
	 * A valid token for a kite of another user ({@code /other-<username>/env/name}),
	 * which the application's kite must refuse.
	 * @return the token JWT
	 */
	public String wrongAudienceToken() {
		return token("/other-" + this.localKite.username() + "/" + this.localKite.environment() + "/"
				+ this.localKite.name(), DEFAULT_SUBJECT);
	}

	/**
	 * A token for the application's kite with every claim right but signed by a key pair
	 * Kontrol does not know (a Go kite reports it as {@code token is expired}).
	 * @return the forged token JWT
	 */
	public String forgedToken() {
		return tokens(this.kontrol.settings().clock()).token(audience(), DEFAULT_SUBJECT, forgingPair(), true);
	}

	private KontrolTokens tokens(Clock clock) {
		KontrolSettings settings = this.kontrol.settings();
		// A fresh minter each time: Kontrol's own caches tokens, and these must be new.
		return new KontrolTokens(kontrolUser(), settings.tokenTtl(), settings.tokenLeeway(), clock);
	}

	private KontrolKeyPair forgingPair() {
		KontrolKeyPair pair = this.forgingPair;
		if (pair == null) {
			synchronized (this) {
				pair = this.forgingPair;
				if (pair == null) {
					pair = KontrolKeys.generate();
					this.forgingPair = pair;
				}
			}
		}
		return pair;
	}

}
