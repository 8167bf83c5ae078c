package dev.trampoline.runtime.remote.internal.call;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * How a caller waits for a call's answer: it checks actively for a short while before it sleeps.
 * <p>
 * Why: a small call's answer comes back within tens of microseconds, and waking a sleeping thread costs about
 * as much again on a virtual machine (the channel's reader signals the caller, and the kernel wakes a CPU that
 * went idle). The JDK's own synchronizers spin before they park for the same reason. The benchmark measures the
 * round trip with and without it (BENCHMARKS.md); choosing the way per call by timing both did no better than
 * checking always.
 * <p>
 * The cost is bounded: at most {@link #spinNanos} of one CPU per wait, one waiting thread at a time (other
 * callers sleep at once, so many calls in flight do not take CPUs from the children), and never on a machine
 * with one CPU, where spinning would only delay the thread it waits for.
 */
public final class ActiveWait {

    /** Framework property: how long a caller checks for an answer before it sleeps, in µs; 0 turns it off. */
    public static final String PROPERTY = "trampoline.remote.spinMicros";
    /** The active wait when the property is not set, in µs. */
    public static final long DEFAULT_MICROS = 50;

    private final long spinNanos;
    private final AtomicBoolean spinning = new AtomicBoolean();

    /** A wait that checks for up to {@code spinMicros} µs (0: never). */
    public ActiveWait(long spinMicros) {
        this.spinNanos = Runtime.getRuntime().availableProcessors() > 1 ? Math.max(0, spinMicros) * 1000 : 0;
    }

    /** From the framework property's value ({@code null}: the default); a bad value is an error naming it. */
    public static ActiveWait fromProperty(String value) {
        return new ActiveWait(micros(value));
    }

    /** The framework property's value in µs ({@code null}: the default); a bad value is an error naming it. */
    public static long micros(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_MICROS;
        }
        try {
            long micros = Long.parseLong(value.trim());
            if (micros < 0 || micros > 1_000_000) {
                throw new NumberFormatException();
            }
            return micros;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + "=" + value + " is not a number of microseconds from 0 to "
                    + "1000000");
        }
    }

    long spinNanos() {
        return spinNanos;
    }

    /** Checks {@code done} until it is true or the time is up; returns at once if another thread is checking. */
    void briefly(BooleanSupplier done) {
        if (spinNanos == 0 || done.getAsBoolean() || !spinning.compareAndSet(false, true)) {
            return;
        }
        try {
            long end = System.nanoTime() + spinNanos;
            while (!done.getAsBoolean() && System.nanoTime() - end < 0) {
                Thread.onSpinWait();
            }
        } finally {
            spinning.set(false);
        }
    }
}
