package dev.trampoline.runtime.remote.internal.call;

import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;

import org.osgi.util.promise.Deferred;


/** A call sent to a child and not yet answered. */
public final class PendingCall {

    /** The call's number, unique in this executor; frames about the call carry it. */
    public final long id;
    /** Resolved or failed by whoever settles the call. */
    public final Deferred<Object> deferred;
    /** Where the caller submitted the call; attached to a failure so both stacks are visible. */
    public final Exception callSite;
    /** The call's time limit while it runs; cancelled when the call is settled. */
    public volatile ScheduledFuture<?> timeout;
    private volatile Runnable onSettle;
    /** Whether the child the call was placed on is ready (null while the call waits for a child). */
    private volatile BooleanSupplier childReady;
    private final java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();

    /** What the caller holds: the deferred's promise (null for a call without a caller, a warm-up call). */
    public final CallPromise<Object> promise;

    /** A call with {@code id}; {@code deferred} null for a call without a caller (a warm-up call). */
    public PendingCall(long id, Deferred<Object> deferred, Exception callSite, ActiveWait wait) {
        this.id = id;
        this.deferred = deferred;
        this.callSite = callSite;
        this.promise = deferred == null ? null : new CallPromise<>(deferred.getPromise(), wait, this);
    }

    /** True for exactly one caller: the one that may resolve or fail the promise (answer, death, timeout, cancel). */
    public boolean settle() {
        cancelTimeout();
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        Runnable hook = onSettle;
        if (hook != null) {
            hook.run();
        }
        if (promise != null) {
            promise.release();
        }
        return true;
    }

    /**
     * Runs {@code hook} in the thread that settles the call. Unlike a callback on the promise, it costs no
     * hand-off to the promise's executor, so no thread wakes for it on each call.
     */
    public void onSettle(Runnable hook) {
        onSettle = hook;
    }

    /** The call has its place on a child; {@code ready} says whether that child is ready. */
    public void placed(BooleanSupplier ready) {
        childReady = ready;
    }

    /** Whether the call runs in a ready child (rather than waiting for one, or for its boot). */
    public boolean runsInReadyChild() {
        BooleanSupplier ready = childReady;
        return ready != null && ready.getAsBoolean();
    }

    /** Whether the call was settled (answered, failed, timed out or cancelled). */
    public boolean isSettled() {
        return settled.get();
    }

    /** Cancels the call's time limit, if it has one. */
    public void cancelTimeout() {
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }
}
