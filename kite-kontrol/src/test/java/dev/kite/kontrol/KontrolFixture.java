package dev.kite.kontrol;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.dnode.DnodeModule;
import dev.kite.kontrol.store.KeyPairStore;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.kontrol.store.KontrolKeyPair;
import dev.kite.kontrol.store.memory.InMemoryKeyPairStore;
import dev.kite.kontrol.store.memory.InMemoryKiteStore;
import dev.kite.protocol.Kite;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.test.ManualTaskScheduler;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Kontrol on in-memory stores and a {@link ManualTaskScheduler}, served by a real
 * {@link KiteDispatcher} (authentication by Kontrol's own providers) that runs handlers
 * on the calling thread, so a test's frame is answered before {@code dispatch} returns.
 * Connections are {@link TestPeer}s.
 */
final class KontrolFixture {

	/** Key pairs are slow to generate: the tests share these. */
	static final KontrolKeyPair SELF = KontrolKeys.generate();

	static final KontrolKeyPair OTHER = KontrolKeys.generate();

	final ManualTaskScheduler scheduler = new ManualTaskScheduler();

	final KiteStore store;

	final KeyPairStore keyPairs;

	final ObjectMapper mapper = JsonMapper.builder().addModule(new DnodeModule()).build();

	final Kontrol kontrol;

	final KiteDispatcher dispatcher;

	private final AtomicInteger sessions = new AtomicInteger();

	KontrolFixture() {
		this(false, null);
	}

	KontrolFixture(@Nullable MachineAuthenticator machineAuthenticator) {
		this(false, machineAuthenticator);
	}

	KontrolFixture(boolean keepRecordsOnDisconnect, @Nullable MachineAuthenticator authenticator) {
		this(new InMemoryKiteStore(), new InMemoryKeyPairStore(), keepRecordsOnDisconnect, authenticator);
	}

	/** A Kontrol on the given stores (e.g. one PostgreSQL database shared by several). */
	KontrolFixture(KiteStore store, KeyPairStore keyPairs, boolean keepRecordsOnDisconnect,
			@Nullable MachineAuthenticator authenticator) {
		this.store = store;
		this.keyPairs = keyPairs;
		KontrolSettings settings = KontrolSettings.builder("kontrol", this.scheduler)
			.environment("production")
			.region("eu")
			.hostname("kontrol-host")
			.kontrolUrl("http://kontrol.example:6000/kite")
			.deregisterOnDisconnect(!keepRecordsOnDisconnect)
			.build();
		this.kontrol = new Kontrol(settings, this.store, this.keyPairs, SELF, authenticator);
		KiteMethodRegistry registry = new KiteMethodRegistry();
		this.kontrol.registerMethods(registry);
		this.dispatcher = new KiteDispatcher(registry,
				new KiteAuthenticationManager(this.kontrol.authenticationProviders()), List.of(), List.of(),
				Runnable::run, true);
	}

	/** A new connection of a kite claiming this identity. */
	TestPeer connect(Kite kite) {
		return new TestPeer(this, "session-" + this.sessions.incrementAndGet(), kite);
	}

	static Kite kite(String username, String name, String version, String id) {
		return new Kite(name, username, id, "production", "eu", version, "host-" + id.substring(0, 4));
	}

	void advance(Duration duration) {
		this.scheduler.advance(duration);
	}

}
