package dev.kite.kontrol;

import java.net.URI;
import java.text.ParseException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.auth.key.KiteKey;
import dev.kite.auth.key.LocalKiteKey;
import dev.kite.client.KiteClientFactory;
import dev.kite.client.kontrol.KontrolClient;
import dev.kite.client.kontrol.KontrolKeyRotation;
import dev.kite.protocol.Kite;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.builtin.BuiltinKiteMethods;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.TaskScheduler;

/**
 * The kite side of the Kontrol tests: a client factory whose dispatcher serves the
 * built-ins (so Kontrol's {@code kite.heartbeat} is answered and pinged on the given
 * scheduler), and Kontrol clients made with it.
 */
final class KontrolClients {

	private KontrolClients() {
	}

	static KiteClientFactory factory(Executor executor, TaskScheduler scheduler) {
		KiteMethodRegistry methods = new KiteMethodRegistry();
		BuiltinKiteMethods.registerAll(methods, scheduler);
		return KiteClientFactory.builder()
			.executor(executor)
			.taskScheduler(scheduler)
			.dispatcher(new KiteDispatcher(methods, new KiteAuthenticationManager(List.of()), List.of(), List.of(),
					executor, true))
			.build();
	}

	static KontrolClient client(KiteClientFactory factory, String kontrolUrl, Kite kite, LocalKiteKey key,
			@Nullable KontrolKeyRotation rotation) {
		return KontrolClient.create(factory, KontrolClient.options(URI.create(kontrolUrl), kite).build(), key,
				rotation);
	}

	static LocalKiteKey key(String jwt) {
		try {
			return new LocalKiteKey(KiteKey.parse(jwt));
		}
		catch (ParseException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

	static Kite kite(String username, String name) {
		return new Kite(name, username, UUID.randomUUID().toString(), "production", "eu", "1.0.0", "worker-1");
	}

}
