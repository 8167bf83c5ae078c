package dev.trampoline.runtime.remote.internal.pool;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

import org.osgi.service.log.Logger;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.CallRejectedException;
import dev.trampoline.runtime.remote.CallTimeoutException;
import dev.trampoline.runtime.remote.ChildFailedException;
import dev.trampoline.runtime.remote.internal.call.PendingCall;
import dev.trampoline.runtime.remote.internal.process.ChildProcess;
import dev.trampoline.runtime.remote.internal.snapshot.SnapshotException;
import dev.trampoline.runtime.remote.internal.wire.Frame;
import dev.trampoline.runtime.remote.internal.wire.Payload;

/**
 * Hands serialized calls to children: at once when a child has room, else in order of arrival once one has
 * (a bounded queue: when it is full a call fails at once rather than wait without limit). It also owns what
 * happens to a call after submission: its time limit, cancellation, queued or running, and its child's answer
 * or death.
 * <p>
 * The queue is the {@link PoolLoop}'s, as the pool is: a submit posts the call to the loop, which gives it its
 * place on a child (its frame queued there). The payload is written outside the loop: by the submitting thread
 * for its own call, else on the workers; a payload that is slow to write (large, or a child that reads slowly)
 * holds up calls to that child only. A call that waits in the queue starts on the newest bundle set the loop
 * has heard of.
 */
public final class Dispatcher implements ChildProcess.Listener {

    /** The bundle set calls run on, as the snapshot hash and the file a child reads. */
    public interface BundleSet {
        Target current() throws SnapshotException, IOException;
    }

    /**
     * A bundle set: its snapshot hash, the snapshot file a child reads, and the bundle-set tracker's generation
     * read before the snapshot was taken (the snapshot is at least that recent; 0: unknown).
     */
    public record Target(String hash, Path file, long generation) {

        /** A bundle set of unknown generation: it is taken as the newest. */
        public Target(String hash, Path file) {
            this(hash, file, 0);
        }

        /**
         * Whether this target may replace {@code newest} as the set calls run on: a snapshot taken before a later
         * one must not, or a follower's snapshot from the middle of an update could undo a call's newer one.
         */
        boolean notOlderThan(Target newest) {
            return newest == null || generation == 0 || generation >= newest.generation;
        }
    }

    /** Turns a child's answer into the outcome of a call whose caller has settled it (see {@code call.Answers}). */
    @FunctionalInterface
    public interface AnswerReader {
        /**
         * Resolves or fails {@code call} with the answer {@code frame} of child {@code childPid}; returns the
         * virtual-machine error the child threw while running it (the child is then retired), else null.
         */
        String settle(long childPid, PendingCall call, Frame frame);
    }

    /** Answers up to this size are read on the channel's thread (no hand-off); larger ones on the workers. */
    private static final int INLINE_DECODE_BYTES = 64 * 1024;

    /** A submitted call as the dispatcher follows it: in the queue, then on its child. */
    private static final class Queued {
        final PendingCall call;
        final Payload payload;
        final CallOptions options;
        final LongConsumer chosen;
        final Target target;
        /** The bulk call it belongs to, spread over several children; null for a call on its own. */
        final Spread spread;
        /** The child it was placed on; set in the loop, null while it waits. */
        volatile ChildProcess child;
        /**
         * Who writes its frame: the loop's placement and its submitter's return from the submit both try to
         * claim it first; the second one writes (see {@link #secondToClaim}).
         */
        private final AtomicBoolean firstClaim = new AtomicBoolean();

        Queued(PendingCall call, Payload payload, CallOptions options, LongConsumer chosen, Target target,
                Spread spread) {
            this.call = call;
            this.spread = spread;
            this.payload = payload;
            this.options = options;
            this.chosen = chosen;
            this.target = target;
        }

        /**
         * Called once by the placement and once by the submit as it returns; true for the second of the two, which
         * writes the frame: the submitter if its call was placed before it returned, else the placement (on a
         * worker). So exactly one of them writes it, and never in the loop.
         */
        boolean secondToClaim() {
            return !firstClaim.compareAndSet(false, true);
        }
    }

    private final ChildPool pool;
    private final PoolLoop loop;
    private final BundleSet bundleSet;
    private final AnswerReader answers;
    private final ScheduledExecutorService scheduler;
    private final Executor workers;
    private final Logger log;
    /** Calls waiting for a child, oldest first. Owned by the loop. */
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    /** The queue's length, as the loop last left it: a submit beyond a full queue fails before it returns. */
    private final AtomicInteger queued = new AtomicInteger();
    /**
     * The newest bundle set the loop has heard of (from a submit or a change the follower saw): the set a call
     * waiting in the queue starts on, whatever the set was at its submit. Owned by the loop.
     */
    private Target newest;
    /** Calls not settled yet, by their promise: what a cancel finds. */
    private final Map<Promise<?>, Queued> calls = new ConcurrentHashMap<>();

    /**
     * A dispatcher that hands calls to {@code pool}'s children in {@code loop} and learns of their answers and
     * deaths, settles answered calls with {@code answers}, runs time limits on {@code scheduler}, and on
     * {@code workers} writes the payloads of calls placed outside their caller's submit and reads large answers.
     */
    public Dispatcher(ChildPool pool, PoolLoop loop, BundleSet bundleSet, AnswerReader answers,
            ScheduledExecutorService scheduler, Executor workers, Logger log) {
        this.pool = pool;
        this.loop = loop;
        this.bundleSet = bundleSet;
        this.answers = answers;
        this.scheduler = scheduler;
        this.workers = workers;
        this.log = log;
        pool.reportTo(this);
    }

    /**
     * Queues {@code call} on the bundle set of now (or fails it at once if the queue is full) and sends it when a
     * child has room; {@code chosen} learns the child's pid.
     */
    public void submit(PendingCall call, Payload payload, CallOptions options, LongConsumer chosen) {
        submit(call, payload, options, chosen, null);
    }

    /** As {@link #submit(PendingCall, Payload, CallOptions, LongConsumer)}, for a call of a bulk call's spread. */
    public void submit(PendingCall call, Payload payload, CallOptions options, LongConsumer chosen, Spread spread) {
        Target target;
        try {
            target = bundleSet.current(); // here, not in the loop: it may copy bundles into the store
        } catch (SnapshotException | IOException | RuntimeException e) {
            fail(call, cannotStart(e));
            return;
        }
        int waitingNow = queued.get();
        if (waitingNow > 0 && waitingNow >= pool.settings().queueSize()) {
            fail(call, queueFull()); // a full queue: known before the submit returns (the loop checks exactly)
            return;
        }
        Queued q = new Queued(call, payload, options, chosen, target, spread);
        Promise<Object> promise = call.promise;
        call.onSettle(() -> {
            calls.remove(promise); // a settled call can no longer be cancelled
            if (spread != null) { // its child may count no more for its bulk call: a waiting chunk may go
                loop.execute(() -> {
                    if (q.child != null) {
                        spread.settled(q.child);
                    }
                    dispatchNow();
                });
            }
        });
        calls.put(promise, q);
        if (options.timeout() != null) {
            try {
                call.timeout = scheduler.schedule(() -> timedOut(q, options.timeout()),
                        options.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                fail(call, cannotStart(new IllegalStateException("The remote executor is stopping")));
                return;
            }
        }
        loop.execute(() -> enqueue(q));
        if (q.secondToClaim()) {
            q.child.flush(); // placed before this returned: its caller writes its payload, outside the loop
        }
    }

    private CallRejectedException queueFull() {
        int limit = pool.settings().queueSize();
        return new CallRejectedException("Every child is busy and " + limit
                + " calls are already waiting (trampoline.pool.queueSize=" + limit
                + "). Retry later, or raise maxChildren, maxCallsInFlight or queueSize.");
    }

    private static ChildFailedException cannotStart(Exception e) {
        ChildFailedException failure = new ChildFailedException("Cannot start a child for the call: "
                + e.getMessage(), -1, null);
        failure.initCause(e);
        return failure;
    }

    /**
     * In the loop: a submitted call joins the queue and has its chance of a child; if it found none with
     * {@code queueSize} calls already waiting ahead of it, it fails (so with 0, no call waits). Its bundle set is
     * the newest now.
     */
    private void enqueue(Queued q) {
        if (q.call.isSettled()) {
            return; // timed out or cancelled before it was queued
        }
        if (q.target.notOlderThan(newest)) {
            newest = q.target;
        }
        queue.add(q);
        dispatchNow();
        if (queue.size() > pool.settings().queueSize() && queue.peekLast() == q) {
            forget(q);
            fail(q.call, queueFull());
        }
    }

    /**
     * The follower saw the bundle set change: the pool follows it (standby children move, used ones retire), and
     * calls waiting in the queue will start on it.
     */
    public void bundleSetChanged(Target target) {
        loop.execute(() -> {
            if (!target.notOlderThan(newest)) {
                return; // a change after it is known already; its own follow comes
            }
            newest = target;
            pool.followBundleSet(target.hash(), target.file());
            dispatchNow();
        });
    }

    /** Sends waiting calls to children with room: posted to the loop (after a settings change, say). */
    public void dispatch() {
        loop.execute(this::dispatchNow);
    }

    /**
     * In the loop: sends waiting calls, oldest first, while children have room. When the pool is full every
     * call waits behind the oldest; when a call waits for a particular child (a standby child moving to the
     * bundle set), only the calls of its lane (the same JVM options and environment) wait behind it, so that
     * calls for other children are not held up.
     */
    private void dispatchNow() {
        if (queue.isEmpty()) {
            return; // the common case: each answer ends here (queued was set to 0 as the queue emptied)
        }
        Set<String> waitingLanes = new HashSet<>();
        for (Iterator<Queued> it = queue.iterator(); it.hasNext();) {
            Queued q = it.next();
            if (q.call.isSettled()) { // timed out or cancelled while waiting
                it.remove();
                continue;
            }
            String lane = q.options.jvmOptions() + "|" + q.options.environment();
            if (waitingLanes.contains(lane)) {
                continue; // behind an older call of its lane
            }
            Placement placement = place(q);
            if (placement == Placement.SENT && q.secondToClaim()) {
                q.child.flushLater(); // its submit returned before: the frame is written on a worker
            }
            if (placement == Placement.SENT || placement == Placement.FAILED) {
                it.remove();
            } else if (placement == Placement.WAITS_FOR_ITS_SPREAD) {
                continue; // its bulk call's children are busy: the calls behind it need not wait for them
            } else if (placement == Placement.POOL_FULL) {
                break; // the oldest call waits, and so do the ones behind it
            } else {
                waitingLanes.add(lane);
            }
        }
        queued.set(queue.size());
    }

    private enum Placement { SENT, FAILED, POOL_FULL, WAITS_FOR_ITS_CHILD, WAITS_FOR_ITS_SPREAD }

    /** In the loop: gives one waiting call its place on a child, if one has room; its payload is not written yet. */
    private Placement place(Queued q) {
        ChildPool.Acquisition acquired;
        try {
            acquired = pool.tryAcquire(newest.hash(), newest.file(), q.options, q.spread);
        } catch (RuntimeException e) {
            fail(q.call, cannotStart(e));
            return Placement.FAILED;
        }
        ChildProcess child = acquired.child();
        if (child == null) {
            return acquired.poolFull() ? Placement.POOL_FULL
                    : acquired.spreadFull() ? Placement.WAITS_FOR_ITS_SPREAD : Placement.WAITS_FOR_ITS_CHILD;
        }
        if (!child.post(q.call, q.payload)) {
            return Placement.POOL_FULL; // never: tryAcquire chose a child that takes calls, in this very event
        }
        q.child = child;
        q.call.placed(() -> child.state() == ChildProcess.State.READY);
        // Before any answer (its frame is written after this event): the caller learns which child runs it first.
        child.whenLaunched(q.chosen);
        return Placement.SENT;
    }

    /** The most children the pool runs: a bulk call's parallelism when it names none. */
    public int maxChildren() {
        return pool.settings().maxChildren();
    }

    /** Cancels a call that is not settled yet, queued or running; false if it was settled already. */
    public boolean cancel(Promise<?> promise) {
        Queued q = calls.remove(promise);
        if (q == null || promise.isDone() || !q.call.settle()) {
            return false;
        }
        loop.execute(() -> cancelNow(q));
        return true;
    }

    /** In the loop: a call its caller cancelled (and settled) leaves its child or the queue, and fails. */
    private void cancelNow(Queued q) {
        PendingCall call = q.call;
        ChildProcess child = q.child;
        boolean told = false;
        if (child != null) {
            told = child.cancel(call.id);
            if (told) {
                child.flushLater();
                limitCancelGrace(child, call.id);
            }
        } else {
            forget(q);
        }
        CancellationException e = new CancellationException(child == null ? "The call was cancelled while it waited"
                : told ? "The call was cancelled; the child was told to interrupt it"
                : "The call was cancelled as its answer came");
        e.addSuppressed(call.callSite);
        call.deferred.fail(e);
        dispatchNow(); // its place on a child is free
    }

    /**
     * In the loop: a cancelled call that has not answered {@code cancelGraceMillis} after its cancel runs on in
     * its child, its code ignoring the interrupt: that child takes no new call and is killed once its other calls
     * end. The grace counts from the child's ready, for a call cancelled while its child booted.
     */
    private void limitCancelGrace(ChildProcess child, long callId) {
        long grace = pool.settings().cancelGraceMillis();
        if (grace <= 0 || !child.stillCancelling(callId)) {
            return; // never, or answered already
        }
        child.whenReady(() -> {
            try {
                scheduler.schedule(() -> loop.execute(() -> cancelGraceOver(child, callId, grace)), grace,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // the pool is closing its children anyway
            }
        });
    }

    private void cancelGraceOver(ChildProcess child, long callId, long grace) {
        if (child.state() == ChildProcess.State.DEAD) {
            return;
        }
        if (!child.stillCancelling(callId)) {
            log.debug("Child {} answered its cancelled call {} within the grace of {} ms: it goes on serving",
                    child.pid(), callId, grace);
            return;
        }
        int others = child.callsInFlight() - child.cancellingCalls();
        log.info("Retiring child {}: a call cancelled {} ms ago still runs there, its code ignoring the interrupt"
                + " (trampoline.pool.cancelGraceMillis); it is killed {}", child.pid(), grace,
                others == 0 ? "now" : "once its " + others + " other call(s) end");
        child.retireThenKill("a cancelled call ran on for " + grace + " ms after its cancel");
        dispatchNow(); // calls waiting for room go elsewhere
    }

    /** On the scheduler: {@code call} ran out of time. */
    private void timedOut(Queued q, Duration timeout) {
        PendingCall call = q.call;
        if (!call.settle()) {
            return; // answered, failed or cancelled first
        }
        loop.execute(() -> {
            ChildProcess child = q.child;
            if (child == null) {
                forget(q);
                failSettled(call, new CallTimeoutException("The call did not start within " + timeout.toMillis()
                        + " ms: every child was busy (see tramp:children, and the pool's maxChildren)"));
            } else if (child.abandon(call.id)) {
                failSettled(call, new CallTimeoutException("The call did not finish within " + timeout.toMillis()
                        + " ms; its child JVM " + (child.pid() > 0 ? "(pid " + child.pid() + ")" : "(still starting)")
                        + " was killed"));
                log.warn("Killing child {}: a call ran over its {} ms limit", child.pid(), timeout.toMillis());
                child.kill();
            } else { // its answer came as its time ran out
                failSettled(call, new CallTimeoutException("The call did not finish within " + timeout.toMillis()
                        + " ms"));
            }
            dispatchNow();
        });
    }

    /** In the reader's thread: settles {@code call} with its answer, unless it was settled (cancelled, timed out). */
    @Override
    public void answered(ChildProcess child, PendingCall call, Frame frame) {
        if (!call.settle()) {
            return; // its place is freed all the same: the child tells the loop the call ended
        }
        // Small answers are read on the channel's thread (no hand-off); large ones elsewhere, so they do not
        // hold up the answers behind them.
        Runnable settle = () -> {
            String vmError = answers.settle(child.pid(), call, frame);
            if (vmError != null) {
                child.retireAfter(vmError);
            }
        };
        if (frame.payload().size() <= INLINE_DECODE_BYTES) {
            settle.run();
        } else {
            try {
                workers.execute(settle);
            } catch (RejectedExecutionException stopping) {
                settle.run();
            }
        }
    }

    @Override
    public void roomChanged(ChildProcess child) {
        dispatchNow(); // a call ended, a child became ready or moved: a waiting call may start
    }

    @Override
    public void died(ChildProcess child, List<PendingCall> orphans, ChildFailedException cause) {
        if (cause != null) {
            log.warn("{}", cause.getMessage());
        }
        for (PendingCall call : orphans) { // never without a cause
            fail(call, new ChildFailedException(cause.getMessage(), cause.pid(), cause.exitStatus()));
        }
        dispatchNow(); // a child went: room for a waiting call
    }

    /** In the loop: a settled call leaves the queue, if it waits there. */
    private void forget(Queued q) {
        queue.remove(q);
        queued.set(queue.size());
    }

    private static void fail(PendingCall call, Exception e) {
        if (call.settle()) {
            failSettled(call, e);
        }
    }

    /** Fails a call this thread has already settled, with the caller's call site attached. */
    private static void failSettled(PendingCall call, Exception e) {
        e.addSuppressed(call.callSite);
        call.deferred.fail(e);
    }
}
