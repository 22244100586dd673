package dev.kite.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.test.ManualTaskScheduler;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pending-call table alone: each call ends once, with the first of response, timeout
 * and disconnect, and then forgets its response callback and timer.
 */
class PendingCallsTest {

	private final ManualTaskScheduler scheduler = new ManualTaskScheduler();

	private final List<Long> forgotten = new CopyOnWriteArrayList<>();

	private final List<String> failures = new CopyOnWriteArrayList<>();

	private final PendingCalls pending = new PendingCalls(this.scheduler, Runnable::run, this.forgotten::add,
			(method, failure) -> this.failures.add(method + " " + failure.type()));

	private static JsonNode[] result(int value) {
		return new JsonNode[] { JsonNodeFactory.instance.objectNode().put("result", value) };
	}

	@Test
	void aResponseEndsTheCallAndCancelsItsTimer() {
		PendingCalls.Call call = new PendingCalls.Call("square");
		this.pending.add(call, 7, Duration.ofSeconds(1));

		this.pending.respond(call, result(16));

		assertThat(call.future.join().asInt()).isEqualTo(16);
		assertThat(this.pending.size()).isZero();
		assertThat(this.forgotten).containsExactly(7L);
		this.scheduler.advance(Duration.ofSeconds(2));
		assertThat(this.failures).isEmpty();
		assertThat(this.scheduler.pending()).isEmpty(); // the sweep found nothing left
	}

	@Test
	void callsWithAscendingDeadlinesShareOneScheduledSweep() {
		for (int i = 0; i < 100; i++) {
			this.pending.add(new PendingCalls.Call("call" + i), i, Duration.ofSeconds(1));
		}
		assertThat(this.scheduler.pending()).hasSize(1);
	}

	@Test
	void eachCallTimesOutAtItsOwnDeadlineWithinTheSweepGranularity() {
		PendingCalls.Call early = new PendingCalls.Call("early");
		PendingCalls.Call answered = new PendingCalls.Call("answered");
		PendingCalls.Call late = new PendingCalls.Call("late");
		this.pending.add(early, 1, Duration.ofSeconds(1));
		this.pending.add(answered, 2, Duration.ofSeconds(2));
		this.pending.add(late, 3, Duration.ofSeconds(3));

		this.scheduler.advance(Duration.ofMillis(999));
		assertThat(this.failures).isEmpty();
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(this.failures).containsExactly("early timeout");
		this.pending.respond(answered, result(4));
		this.scheduler.advance(Duration.ofMillis(1999));
		assertThat(this.failures).containsExactly("early timeout");
		this.scheduler.advance(PendingCalls.SWEEP_GRANULARITY);
		assertThat(this.failures).containsExactly("early timeout", "late timeout");
		assertThat(answered.future.join().asInt()).isEqualTo(4);
		assertThat(this.pending.size()).isZero();
		assertThat(this.scheduler.pending()).isEmpty();
	}

	@Test
	void aShorterTimeoutAddedLaterIsSweptAtItsDeadline() {
		PendingCalls.Call slow = new PendingCalls.Call("slow");
		PendingCalls.Call quick = new PendingCalls.Call("quick");
		this.pending.add(slow, 1, Duration.ofSeconds(10));
		this.pending.add(quick, 2, Duration.ofMillis(100));

		this.scheduler.advance(Duration.ofMillis(100));

		assertThat(this.failures).containsExactly("quick timeout");
		assertThat(this.pending.size()).isEqualTo(1);
	}

	@Test
	void aTimeoutEndsTheCallAndALateResponseIsDropped() {
		PendingCalls.Call call = new PendingCalls.Call("square");
		this.pending.add(call, 7, Duration.ofSeconds(1));

		this.scheduler.advance(Duration.ofSeconds(1));
		this.pending.respond(call, result(16));

		assertThat(call.future).failsWithin(Duration.ZERO)
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingCause()
			.isInstanceOfSatisfying(KiteException.class,
					(ex) -> assertThat(ex.type()).isEqualTo(KiteErrorTypes.TIMEOUT));
		assertThat(this.forgotten).containsExactly(7L);
		assertThat(this.failures).containsExactly("square timeout");
	}

	@Test
	void failAllEndsEveryWaitingCallOnce() {
		PendingCalls.Call first = new PendingCalls.Call("a");
		PendingCalls.Call second = new PendingCalls.Call("b");
		this.pending.add(first, 1, Duration.ofSeconds(1));
		this.pending.add(second, 2, Duration.ofSeconds(1));

		this.pending.failAll(KiteResponses.disconnect());
		this.pending.failAll(KiteResponses.disconnect());
		this.scheduler.advance(Duration.ofSeconds(1));

		assertThat(this.failures).containsExactlyInAnyOrder("a disconnect", "b disconnect");
		assertThat(this.forgotten).containsExactlyInAnyOrder(1L, 2L);
		assertThat(this.pending.size()).isZero();
	}

}
