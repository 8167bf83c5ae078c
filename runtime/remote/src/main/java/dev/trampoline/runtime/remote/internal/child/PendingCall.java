package dev.trampoline.runtime.remote.internal.child;

import java.util.concurrent.ScheduledFuture;

import org.osgi.util.promise.Deferred;

/** A call sent to a child and not yet answered. */
final class PendingCall {

    final long id;
    final Deferred<Object> deferred;
    /** Where the caller submitted the call; attached to a failure so both stacks are visible. */
    final Exception callSite;
    volatile ScheduledFuture<?> timeout;
    private volatile Runnable onSettle;
    /** The child the call was sent to; null while it waits in the queue. */
    volatile ChildProcess child;
    private final java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();

    /** What the caller holds: the deferred's promise (null for a call without a caller, a warm-up call). */
    final CallPromise<Object> promise;

    PendingCall(long id, Deferred<Object> deferred, Exception callSite, ActiveWait wait) {
        this.id = id;
        this.deferred = deferred;
        this.callSite = callSite;
        this.promise = deferred == null ? null : new CallPromise<>(deferred.getPromise(), wait, this);
    }

    /** True for exactly one caller: the one that may resolve or fail the promise (answer, death, timeout, cancel). */
    boolean settle() {
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
    void onSettle(Runnable hook) {
        onSettle = hook;
    }

    boolean isSettled() {
        return settled.get();
    }

    void cancelTimeout() {
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }
}
