package dev.kite.benchmarks.jmh;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.kite.auth.KiteAuthenticationManager;
import dev.kite.auth.provider.KiteKeyAuthenticationProvider;
import dev.kite.auth.provider.TokenAuthenticationProvider;
import dev.kite.auth.trust.ConfiguredKontrolKeyTrust;
import dev.kite.auth.trust.KontrolTrust;
import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeModule;
import dev.kite.kontrol.store.KontrolKeyPair;
import dev.kite.kontrol.KontrolKeys;
import dev.kite.kontrol.KontrolTokens;
import dev.kite.protocol.Kite;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteSession;
import dev.kite.server.method.AnnotatedKiteMethodDetector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.context.support.GenericApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decode → dispatch → encode of one call, as the server runs it for a frame from the
 * network, minus the transport: a {@link KiteDispatcher} with a real
 * {@link KiteMethodRegistry} filled by the production {@link AnnotatedKiteMethodDetector}
 * from {@link SquareService}, a {@link KiteSession} whose {@link DnodeConnection} sends
 * into a sink, and the executor running handlers on the calling thread so that one
 * operation is the whole call. Frames are written as Go writes them (numeric callback
 * paths, the caller's {@code kite} on every request, a new callback id per call).
 *
 * <p>
 * Variants ({@code call}): {@code open} ({@code squareOpen}, no authentication),
 * {@code kiteKey} and {@code token} ({@code square}, credentials verified once and then
 * served from the providers' caches, as on a long-lived connection), {@code callback}
 * ({@code squareCallback(4, fn)}: one function in, two messages out).
 *
 * <p>
 * Setup fails unless the sink receives exactly the answer Go would, so a benchmark that
 * runs measures a working call.
 *
 * <p>
 * Thread safety: one state per benchmark thread; nothing is shared between threads except
 * the dispatcher, which is thread-safe.
 */
@State(Scope.Thread)
@SuppressWarnings("NullAway.Init") // fields are set in setUp(), before any benchmark call
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatchBenchmark {

	/** Distinct frames cycled through: Go issues a new callback id for every call. */
	private static final int FRAMES = 1024;

	private static final String CALLER = "{\"name\":\"exp2\",\"username\":\"alice\","
			+ "\"id\":\"b2f8e5b0-6f0e-4d55-9d34-0c1d2e3f4a5b\",\"environment\":\"production\","
			+ "\"region\":\"eu\",\"version\":\"0.0.1\",\"hostname\":\"laptop\"}";

	private static final Kite LOCAL = new Kite("square", "bench", "8c7f3a1e-0000-4000-8000-000000000001", "production",
			"eu", "0.0.1", "localhost");

	@Param({ "open", "kiteKey", "token", "callback" })
	private String call = "open";

	private final List<String> sent = new ArrayList<>();

	private String[] frames = new String[0];

	private int next;

	private KiteDispatcher dispatcher;

	private KiteSession session;

	private GenericApplicationContext context = new GenericApplicationContext();

	@Setup(Level.Trial)
	public void setUp() {
		JsonMapper mapper = DnodeModule.newMapper();
		this.context = new GenericApplicationContext();
		this.context.registerBean(SquareService.class);
		this.context.refresh();
		KiteMethodRegistry registry = new KiteMethodRegistry();
		new AnnotatedKiteMethodDetector(this.context, registry, List.of(), mapper).afterSingletonsInstantiated();
		KontrolKeyPair pair = KontrolKeys.generate();
		KontrolTokens tokens = new KontrolTokens("kontrol", Duration.ofHours(48), Duration.ofMinutes(5),
				Clock.systemUTC());
		KontrolTrust trust = KontrolTrust.of("kontrol", List.of(pair.publicKey()));
		KiteAuthenticationManager authenticationManager = new KiteAuthenticationManager(
				List.of(new KiteKeyAuthenticationProvider(new ConfiguredKontrolKeyTrust(List.of(pair.publicKey()))),
						new TokenAuthenticationProvider(() -> LOCAL, () -> trust)));
		this.dispatcher = new KiteDispatcher(registry, authenticationManager, List.of(), List.of(), Runnable::run,
				true);
		this.session = new KiteSession("bench", new DnodeConnection(mapper, this.sent::add), false, Runnable::run);
		String authentication = switch (this.call) {
			case "kiteKey" ->
				"{\"type\":\"kiteKey\",\"key\":\"" + tokens.kiteKey("alice", pair, "http://kontrol") + "\"}";
			case "token" -> "{\"type\":\"token\",\"key\":\""
					+ tokens.token("/bench/production/square", "alice", pair, false) + "\"}";
			default -> "null";
		};
		this.frames = new String[FRAMES];
		for (int i = 0; i < FRAMES; i++) {
			// Callback ids as a busy Go client issues them: large and new for every
			// call.
			this.frames[i] = frame(100_000L + 2L * i, authentication);
		}
		String expected = this.call.equals("callback")
				? "[{\"method\":1,\"arguments\":[16],\"callbacks\":{}}, "
						+ "{\"method\":0,\"arguments\":[{\"error\":null,\"result\":null}],\"callbacks\":{}}]"
				: "[{\"method\":0,\"arguments\":[{\"error\":null,\"result\":16}],\"callbacks\":{}}]";
		this.sent.clear();
		this.dispatcher.dispatch(this.session, frame(0, authentication));
		String answer = this.sent.toString();
		if (!answer.equals(expected)) {
			throw new IllegalStateException("Unexpected answer to " + this.call + ": " + answer);
		}
		this.sent.clear();
	}

	private String frame(long id, String authentication) {
		String method = switch (this.call) {
			case "open" -> "squareOpen";
			case "callback" -> "squareCallback";
			default -> "square";
		};
		String withArgs = this.call.equals("callback") ? "[4,\"[Function]\"]" : "[4]";
		String callbacks = this.call.equals("callback")
				? "{\"" + id + "\":[0,\"responseCallback\"],\"" + (id + 1) + "\":[0,\"withArgs\",1]}"
				: "{\"" + id + "\":[0,\"responseCallback\"]}";
		return "{\"method\":\"" + method + "\",\"arguments\":[{\"kite\":" + CALLER + ",\"authentication\":"
				+ authentication + ",\"responseCallback\":\"[Function]\",\"withArgs\":" + withArgs + "}],\"callbacks\":"
				+ callbacks + "}";
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.session.close();
		this.context.close();
	}

	/**
	 * One call: the frame in, the answer (and for {@code callback} the callback's
	 * message) out.
	 * @return the last message sent, so that the encoding is not dead code
	 */
	@Benchmark
	public String dispatch() {
		String frame = this.frames[this.next];
		this.next = (this.next + 1) & (FRAMES - 1);
		this.dispatcher.dispatch(this.session, frame);
		int last = this.sent.size() - 1;
		String answer = this.sent.get(last);
		this.sent.clear();
		return answer;
	}

}
