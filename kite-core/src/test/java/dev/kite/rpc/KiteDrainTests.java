package dev.kite.rpc;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KiteDrainTests {

	private final KiteDrain drain = new KiteDrain();

	@Test
	void drainWithNothingInFlightIsDoneAtOnceAndRefusesNewCalls() {
		assertThat(this.drain.drain()).isDone();
		assertThat(this.drain.isDraining()).isTrue();
		assertThat(this.drain.tryEnter()).isFalse();
		assertThat(this.drain.inFlight()).isZero();
	}

	@Test
	void drainCompletesWhenTheLastCallInFlightExits() {
		assertThat(this.drain.tryEnter()).isTrue();
		assertThat(this.drain.tryEnter()).isTrue();
		CompletableFuture<Void> drained = this.drain.drain();
		assertThat(drained).isNotDone();
		assertThat(this.drain.tryEnter()).isFalse(); // refused: does not count
		assertThat(drained).isNotDone();
		this.drain.exit();
		assertThat(drained).isNotDone();
		this.drain.exit();
		assertThat(drained).isDone();
		assertThat(this.drain.drain()).isSameAs(drained);
	}

	@Test
	void resumeAcceptsCallsAgainAndANewDrainWaitsForThem() {
		CompletableFuture<Void> first = this.drain.drain();
		this.drain.resume();
		assertThat(this.drain.isDraining()).isFalse();
		assertThat(this.drain.tryEnter()).isTrue();
		CompletableFuture<Void> second = this.drain.drain();
		assertThat(second).isNotSameAs(first).isNotDone();
		this.drain.exit();
		assertThat(second).isDone();
	}

}
