package dev.trampoline.runtime.remote.internal.pool;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * happens to a call after submission: its time limit, and cancellation, queued or running. Under its lock a
 * call only takes its place on a child (its frame queued there); the payload is written after the lock is
 * released, by the submitting thread for its own call, else by the writer executor: a payload that is slow to
 * write (large, or a child that reads slowly) holds up calls to that child only.
 */
public final class Dispatcher implements ChildProcess.Listener {

    /** Turns a child's answer into the outcome of a call whose caller has settled it (see {@code call.Answers}). */
    @FunctionalInterface
    public interface AnswerReader {
        void settle(ChildProcess child, PendingCall call, Frame frame);
    }

    /** Answers up to this size are read on the channel's thread (no hand-off); larger ones on the workers. */
    private static final int INLINE_DECODE_BYTES = 64 * 1024;

    /** The bundle set calls run on, as the snapshot hash and the file a child reads. */
    public interface BundleSet {
        Target current() throws SnapshotException, IOException;
    }

    /** A bundle set: its snapshot hash and the snapshot file a child reads. */
    public record Target(String hash, Path file) {
    }

    private record Queued(PendingCall call, Payload payload, CallOptions options, LongConsumer chosen) {
    }

    private final ChildPool pool;
    private final BundleSet bundleSet;
    private final AnswerReader answers;
    private final ScheduledExecutorService scheduler;
    private final Executor workers;
    private final Logger log;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private volatile int queued;
    private final Map<Promise<?>, PendingCall> calls = new ConcurrentHashMap<>();

    /**
     * A dispatcher that hands calls to {@code pool}'s children and learns of their answers and deaths, settles
     * answered calls with {@code answers}, runs time limits on {@code scheduler}, and on {@code workers} writes the
     * payloads of calls placed outside their caller's submit and reads large answers.
     */
    public Dispatcher(ChildPool pool, BundleSet bundleSet, AnswerReader answers, ScheduledExecutorService scheduler,
            Executor workers, Logger log) {
        this.pool = pool;
        this.bundleSet = bundleSet;
        this.answers = answers;
        this.scheduler = scheduler;
        this.workers = workers;
        this.log = log;
        pool.reportTo(this);
    }

    /** Queues {@code call} (or fails it at once if the queue is full) and sends it when a child has room; {@code chosen} learns the child's pid. */
    public void submit(PendingCall call, Payload payload, CallOptions options, LongConsumer chosen) {
        Promise<Object> promise = call.promise;
        call.onSettle(() -> calls.remove(promise)); // a settled call can no longer be cancelled
        calls.put(promise, call);
        if (options.timeout() != null) {
            call.timeout = scheduler.schedule(() -> timedOut(call, options.timeout()), options.timeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        synchronized (this) {
            int limit = pool.settings().queueSize();
            if (queue.size() >= limit && !queue.isEmpty()) {
                fail(call, new CallRejectedException("Every child is busy and " + queue.size()
                        + " calls are already waiting (trampoline.pool.queueSize=" + limit
                        + "). Retry later, or raise maxChildren, maxCallsInFlight or queueSize."));
                return;
            }
            queue.add(new Queued(call, payload, options, chosen));
            queued = queue.size();
        }
        dispatch(call);
    }

    /**
     * Sends waiting calls, oldest first, while children have room. Called when room may have appeared. When
     * the pool is full every call waits behind the oldest; when a call waits for a particular child (a standby
     * child moving to the bundle set), only the calls of its lane (the same JVM options and environment) wait
     * behind it, so that calls for other children are not held up.
     */
    public void dispatch() {
        dispatch(null);
    }

    /** {@link #dispatch()} in the thread that submitted {@code own}, which writes that call's payload itself. */
    private void dispatch(PendingCall own) {
        if (queued == 0) {
            return;
        }
        List<Queued> placed = new ArrayList<>();
        synchronized (this) {
            Set<String> waitingLanes = new HashSet<>();
            for (Iterator<Queued> it = queue.iterator(); it.hasNext();) {
                Queued q = it.next();
                if (q.call().isSettled()) { // timed out or cancelled while waiting
                    it.remove();
                    continue;
                }
                String lane = q.options().jvmOptions() + "|" + q.options().environment();
                if (waitingLanes.contains(lane)) {
                    continue; // behind an older call of its lane
                }
                Placement placement = place(q);
                if (placement == Placement.SENT) {
                    placed.add(q);
                }
                if (placement == Placement.SENT || placement == Placement.FAILED) {
                    it.remove();
                } else if (placement == Placement.POOL_FULL) {
                    break; // the oldest call waits, and so do the ones behind it
                } else {
                    waitingLanes.add(lane);
                }
            }
            queued = queue.size();
        }
        for (Queued q : placed) {
            if (q.call() == own) {
                write(q.call());
            } else {
                try {
                    workers.execute(() -> write(q.call()));
                } catch (RejectedExecutionException stopping) {
                    write(q.call()); // deactivated: the pool is closing its children anyway
                }
            }
        }
    }

    /** Writes a placed call's payload (and what else waits for its child) into the child's pipe. */
    private void write(PendingCall call) {
        ChildProcess child = call.child;
        child.flush();
        if (call.isSettled() && child.cancel(call.id)) {
            // Timed out or cancelled while it was handed over (a cancel that came before the call had its child
            // could not tell the child): it is still pending there, so the child is told to stop it, with the
            // same grace as any cancel. Answered already: nothing to cancel.
            limitCancelGrace(child, call.id);
        }
    }

    private enum Placement { SENT, FAILED, POOL_FULL, WAITS_FOR_ITS_CHILD }

    /** Gives one waiting call its place on a child, if one has room; its payload is not written yet. */
    private Placement place(Queued q) {
        for (int attempts = 0; attempts <= 3; attempts++) {
            ChildPool.Acquisition acquired;
            try {
                Target t = bundleSet.current();
                acquired = pool.tryAcquire(t.hash(), t.file(), q.options());
            } catch (SnapshotException | IOException | RuntimeException e) {
                ChildFailedException failure = new ChildFailedException("Cannot start a child for the call: "
                        + e.getMessage(), -1, null);
                failure.initCause(e);
                fail(q.call(), failure);
                return Placement.FAILED;
            }
            ChildProcess child = acquired.child();
            if (child == null) {
                return acquired.poolFull() ? Placement.POOL_FULL : Placement.WAITS_FOR_ITS_CHILD;
            }
            q.call().child = child;
            if (child.post(q.call(), q.payload())) {
                // Before any answer (its frame is written once the lock is released): the caller learns which
                // child runs it first; and only for the child that took it, not one that retired under us.
                child.whenLaunched(q.chosen());
                return Placement.SENT;
            }
            q.call().child = null; // the child retired under us: ask again
        }
        return Placement.POOL_FULL; // children keep retiring under us; the next event tries again
    }

    /** Cancels a call that is not settled yet, queued or running; false if it was settled already. */
    public boolean cancel(Promise<?> promise) {
        PendingCall call = calls.remove(promise);
        if (call == null || promise.isDone() || !call.settle()) {
            return false;
        }
        ChildProcess child = call.child;
        if (child != null) {
            if (child.cancel(call.id)) {
                limitCancelGrace(child, call.id);
            }
        } else {
            forget(call);
        }
        CancellationException e = new CancellationException(child == null ? "The call was cancelled while it waited"
                : "The call was cancelled; the child was told to interrupt it");
        e.addSuppressed(call.callSite);
        call.deferred.fail(e);
        dispatch(); // its place on a child is free
        return true;
    }

    /**
     * A cancelled call that has not answered {@code cancelGraceMillis} after its cancel runs on in its child, its
     * code ignoring the interrupt: that child takes no new call and is killed once its other calls end. The grace
     * counts from the child's ready, for a call cancelled while its child booted.
     */
    private void limitCancelGrace(ChildProcess child, long callId) {
        long grace = pool.settings().cancelGraceMillis();
        if (grace <= 0 || !child.stillCancelling(callId)) {
            return; // never, or answered already
        }
        child.whenReady(() -> {
            try {
                scheduler.schedule(() -> cancelGraceOver(child, callId, grace), grace, TimeUnit.MILLISECONDS);
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
        dispatch(); // calls waiting for room go elsewhere
    }

    private void timedOut(PendingCall call, Duration timeout) {
        if (!call.settle()) {
            return; // answered, failed or cancelled first
        }
        ChildProcess child = call.child;
        if (child != null && child.abandon(call.id)) {
            failSettled(call, new CallTimeoutException("The call did not finish within " + timeout.toMillis()
                    + " ms; its child JVM (pid " + child.pid() + ") was killed"));
            log.warn("Killing child {}: a call ran over its {} ms limit", child.pid(), timeout.toMillis());
            child.kill();
        } else {
            // Still waiting (or being handed over: dispatch sees it settled and takes it back).
            forget(call);
            failSettled(call, new CallTimeoutException("The call did not start within " + timeout.toMillis()
                    + " ms: every child was busy (see tramp:children, and the pool's maxChildren)"));
        }
        dispatch();
    }

    @Override
    public void answered(ChildProcess child, PendingCall call, Frame frame) {
        if (!call.settle()) {
            dispatch(); // cancelled or timed out already; its place is free all the same
            return;
        }
        // Small answers are read on the channel's thread (no hand-off); large ones elsewhere, so they do not
        // hold up the answers behind them.
        if (frame.payload().size() <= INLINE_DECODE_BYTES) {
            answers.settle(child, call, frame);
        } else {
            try {
                workers.execute(() -> answers.settle(child, call, frame));
            } catch (RejectedExecutionException stopping) {
                answers.settle(child, call, frame);
            }
        }
        dispatch(); // a call ended: a waiting one may start
    }

    @Override
    public void cancelledCallEnded(ChildProcess child) {
        dispatch(); // it counted in its child's calls in flight until now
    }

    @Override
    public void died(ChildProcess child, List<PendingCall> orphans, ChildFailedException cause) {
        pool.forget(child);
        if (cause != null) {
            log.warn("{}", cause.getMessage());
        }
        for (PendingCall call : orphans) { // never without a cause
            fail(call, new ChildFailedException(cause.getMessage(), cause.pid(), cause.exitStatus()));
        }
        dispatch(); // a child went: room for a waiting call
    }

    private synchronized void forget(PendingCall call) {
        queue.removeIf(q -> q.call() == call);
        queued = queue.size();
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
