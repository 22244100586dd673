package dev.kite.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

import dev.kite.protocol.KiteException;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.TaskScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * The calls of one connection that wait for their response: each has a future, the id of
 * its response callback and a deadline. A call ends exactly once, with the first of its
 * response, its timeout, a failed send, or {@link #failAll the connection's end}; then
 * its response callback is forgotten (Go forgets it too, so a late answer is dropped).
 *
 * <p>
 * Timeouts: no timer per call. One sweep per connection is scheduled on the
 * {@link TaskScheduler} at the earliest deadline; it fails the calls whose deadline has
 * passed and schedules itself again for the earliest one left (at least
 * {@link #SWEEP_GRANULARITY} later, so calls with deadlines close together share a
 * sweep). A call therefore times out at its deadline or up to that granularity later.
 * Calls with equal timeouts (the usual case) have ascending deadlines and find a sweep
 * scheduled already: adding a call touches no lock and no scheduler queue (a task per
 * call on a shared {@code ScheduledThreadPoolExecutor} queue, added and cancelled under
 * its one lock, was a measurable part of every call).
 *
 * <p>
 * Thread safety: every method may be called from any thread. Calls are added on the
 * calling thread, answered on the executor (the dispatcher's serial callback lane), timed
 * out on the scheduler, and failed all at once on the transport's thread; "exactly once"
 * comes from the atomic {@code remove(id, call)} of the concurrent table. The sweep's
 * schedule is guarded by {@code sweepLock}; a call added while a sweep runs is either
 * seen by that sweep or schedules one itself (the sweep clears {@code sweepAt} before it
 * scans). Futures are always completed on the executor, so stages a caller chains never
 * run on (and block) the transport or callback thread.
 */
final class PendingCalls {

	/** The least time between two sweeps of one connection. */
	static final Duration SWEEP_GRANULARITY = Duration.ofMillis(10);

	private final Map<Long, Call> calls = new ConcurrentHashMap<>();

	private final TaskScheduler scheduler;

	private final Executor executor;

	private final LongConsumer forgetCallback;

	private final BiConsumer<String, KiteException> failureObserver;

	private final Object sweepLock = new Object();

	/** When the next sweep runs, or {@code null} when none is scheduled. */
	private volatile @Nullable Instant sweepAt;

	/**
	 * @param scheduler runs the timeout sweeps, and its clock tells the time
	 * @param executor completes the futures
	 * @param forgetCallback forgets a response callback by id once its call has ended
	 * @param failureObserver told of every failed call (method, error), e.g. to notice
	 * expired tokens
	 */
	PendingCalls(TaskScheduler scheduler, Executor executor, LongConsumer forgetCallback,
			BiConsumer<String, KiteException> failureObserver) {
		this.scheduler = scheduler;
		this.executor = executor;
		this.forgetCallback = forgetCallback;
		this.failureObserver = failureObserver;
	}

	/**
	 * Starts waiting for the response of a call whose response callback has the given id;
	 * fails the call at once with {@code sendError} if the scheduler refuses its timeout
	 * sweep.
	 * @param call the call
	 * @param id its response callback's id
	 * @param timeout how long to wait for the response
	 * @return whether the call waits; {@code false} if it failed already
	 */
	boolean add(Call call, long id, Duration timeout) {
		call.id = id;
		call.timeout = timeout;
		Instant deadline = this.scheduler.getClock().instant().plus(timeout);
		call.deadline = deadline;
		this.calls.put(id, call); // before sweepAt is read: see the class comment
		Instant next = this.sweepAt;
		if (next != null && !next.isAfter(deadline)) {
			return true; // a sweep at or before this deadline will see the call
		}
		try {
			scheduleSweep(deadline);
		}
		catch (RejectedExecutionException ex) {
			// no call without its time limit: the application is stopping
			finish(call, null, KiteResponses.sendError("can't send, the client is stopping"));
			return false;
		}
		return true;
	}

	/** Schedules a sweep at {@code at} unless one is scheduled at or before it. */
	private void scheduleSweep(Instant at) {
		synchronized (this.sweepLock) {
			Instant next = this.sweepAt;
			if (next != null && !next.isAfter(at)) {
				return;
			}
			this.scheduler.schedule(this::sweep, at);
			this.sweepAt = at; // an earlier-scheduled later sweep still runs, harmlessly
		}
	}

	/** Fails the calls whose deadline has passed; schedules the next sweep. */
	private void sweep() {
		synchronized (this.sweepLock) {
			this.sweepAt = null; // calls added from now on schedule a sweep or are seen
		}
		Instant now = this.scheduler.getClock().instant();
		Instant earliest = null;
		for (Call call : this.calls.values()) {
			Instant deadline = call.deadline;
			if (!deadline.isAfter(now)) {
				finish(call, null, KiteResponses.timeout(call.method, call.timeout));
			}
			else if (earliest == null || deadline.isBefore(earliest)) {
				earliest = deadline;
			}
		}
		if (earliest != null) {
			Instant floor = now.plus(SWEEP_GRANULARITY);
			try {
				scheduleSweep(earliest.isBefore(floor) ? floor : earliest);
			}
			catch (RejectedExecutionException ex) {
				// the application is stopping: fail what would never time out
				failAll(KiteResponses.sendError("can't wait, the client is stopping"));
			}
		}
	}

	/**
	 * Ends a call with its response ({@link KiteResponses#read(JsonNode[]) read} as
	 * result or error).
	 * @param call the call
	 * @param response the arguments the peer called the response callback with
	 */
	void respond(Call call, JsonNode[] response) {
		JsonNode result;
		try {
			result = KiteResponses.read(response);
		}
		catch (KiteException ex) {
			finish(call, null, ex);
			return;
		}
		finish(call, (result != null) ? result : NullNode.getInstance(), null);
	}

	/**
	 * Ends a call with a failure unless it has ended already.
	 * @param call the call
	 * @param failure the error
	 */
	void fail(Call call, KiteException failure) {
		finish(call, null, failure);
	}

	/**
	 * Fails every call still waiting.
	 * @param failure the error, typically {@link KiteResponses#disconnect()}
	 */
	void failAll(KiteException failure) {
		for (Call call : this.calls.values()) {
			finish(call, null, failure);
		}
	}

	/** The number of calls waiting. */
	int size() {
		return this.calls.size();
	}

	private void finish(Call call, @Nullable JsonNode result, @Nullable KiteException failure) {
		if (!this.calls.remove(call.id, call)) {
			return; // ended already (or never added)
		}
		this.forgetCallback.accept(call.id);
		if (failure != null) {
			this.failureObserver.accept(call.method, failure);
		}
		complete(this.executor, call.future, result, failure);
	}

	/**
	 * Completes a future on the executor, or on this thread once the executor refuses
	 * work (the application is stopping), so no caller waits for a completion that never
	 * comes.
	 */
	static <T> void complete(Executor executor, CompletableFuture<T> future, @Nullable T value,
			@Nullable Throwable failure) {
		Runnable completion = (failure != null) ? () -> future.completeExceptionally(failure)
				: () -> future.complete(value);
		try {
			executor.execute(completion);
		}
		catch (RejectedExecutionException ex) {
			completion.run();
		}
	}

	/** One call waiting for its response. */
	static final class Call {

		final String method;

		final CompletableFuture<JsonNode> future = new CompletableFuture<>();

		volatile long id = -1;

		volatile Duration timeout = Duration.ZERO;

		volatile Instant deadline = Instant.MAX;

		Call(String method) {
			this.method = method;
		}

	}

}
