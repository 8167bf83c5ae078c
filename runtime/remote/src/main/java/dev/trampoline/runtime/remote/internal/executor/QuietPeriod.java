package dev.trampoline.runtime.remote.internal.executor;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Runs an action once a burst of signals is over: when none came for the quiet time and nothing is still in
 * flux, or at the latest a bounded time after the burst's first signal (so a stream that never stops is still
 * acted on). Standby children follow the bundle set this way: a hot-deployed batch or a start-level change is
 * one move, not one per intermediate bundle set.
 */
final class QuietPeriod {

    /** Where the next check is scheduled: runs {@code check} after {@code delayNanos}. */
    interface Timer {
        void schedule(Runnable check, long delayNanos);
    }

    /** What runs after a burst: {@code settled} is false when it runs because the burst went on too long. */
    interface Action {
        void run(boolean settled);
    }

    private final Timer timer;
    private final LongSupplier nanoClock;
    private final long quietNanos;
    private final long maxNanos;
    private final BooleanSupplier inFlux;
    private final Action action;
    /** Guarded by this: when the pending burst began, or -1 when none is pending. */
    private long firstNanos = -1;
    private long lastNanos;

    /**
     * @param quietNanos how long no signal must come before the action runs
     * @param maxNanos how long after a burst's first signal the action runs at the latest
     * @param inFlux whether the change is still going on at the end of a quiet time, though no signal came
     *        (asked at each check; true counts as a signal)
     */
    QuietPeriod(Timer timer, LongSupplier nanoClock, long quietNanos, long maxNanos, BooleanSupplier inFlux,
            Action action) {
        if (quietNanos <= 0 || maxNanos < quietNanos) {
            throw new IllegalArgumentException("quiet " + quietNanos + " ns, at most " + maxNanos + " ns");
        }
        this.timer = timer;
        this.nanoClock = nanoClock;
        this.quietNanos = quietNanos;
        this.maxNanos = maxNanos;
        this.inFlux = inFlux;
        this.action = action;
    }

    /** Something changed. Quick: it may run on the framework's event thread. */
    void signal() {
        boolean first;
        synchronized (this) {
            lastNanos = nanoClock.getAsLong();
            first = firstNanos < 0;
            if (first) {
                firstNanos = lastNanos;
            }
        }
        if (first) {
            timer.schedule(this::check, quietNanos);
        }
    }

    private void check() {
        boolean flux = inFlux.getAsBoolean(); // outside the lock: it may ask the framework
        long wait;
        boolean settled;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            long untilMax = firstNanos + maxNanos - now;
            wait = Math.min(lastNanos + quietNanos - now, untilMax);
            if (wait <= 0 && untilMax > 0 && flux) {
                lastNanos = now;
                wait = Math.min(quietNanos, untilMax);
            }
            settled = untilMax > 0;
            if (wait <= 0) {
                firstNanos = -1; // a signal from here on starts the next burst
            }
        }
        if (wait > 0) {
            timer.schedule(this::check, wait);
        } else {
            action.run(settled);
        }
    }
}
