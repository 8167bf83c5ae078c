package dev.trampoline.runtime.remote.internal.process;

import java.util.Arrays;

/**
 * The round trips of the recent warm calls of one host's children: from the moment a call's frame began to be
 * written to the moment its answer was read, so what a call there costs (its arguments and answer through ssh
 * and the network both ways, and the child's work), unlike the host's first contact (an ssh login and
 * {@code java -version}). A call is warm when its child had answered a call before its frame was written: the
 * JVM's boot and a child's first call (its service looked up, its classes loaded) are not counted. The last
 * {@value #WINDOW} are kept, whichever child of the host answered them.
 * <p>
 * Its children's reader threads add to it and the shell reads it, under its lock. Only children on other hosts
 * are timed (see {@link ChildLaunch#timedInto}): a call on this machine takes no time stamp and no lock for it.
 */
public final class RoundTrips {

    /** How many of the last warm calls the median is taken of. */
    public static final int WINDOW = 64;

    /** The last round trips, in nanoseconds: a ring whose next slot is {@link #next}. Guarded by this. */
    private final long[] nanos = new long[WINDOW];
    private int next;
    private int count;

    /**
     * The median of the last warm round trips, and of how many calls (at most {@value #WINDOW}).
     *
     * @param nanos the median in nanoseconds (of an even count, the mean of the two middle ones)
     * @param calls how many round trips it is the median of
     */
    public record Median(long nanos, int calls) {
    }

    /** The median of the last warm round trips, or null if no warm call was answered yet. */
    public synchronized Median median() {
        if (count == 0) {
            return null;
        }
        long[] sorted = Arrays.copyOf(nanos, count); // the ring's order does not matter to a median
        Arrays.sort(sorted);
        int middle = count / 2;
        long median = count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Median(median, count);
    }

    /** Keeps {@code roundTripNanos}, forgetting the oldest once {@value #WINDOW} are kept. */
    synchronized void add(long roundTripNanos) {
        nanos[next] = roundTripNanos;
        next = (next + 1) % WINDOW;
        count = Math.min(WINDOW, count + 1);
    }

    /** The timer of one child's calls, which adds theirs here. */
    CallTimer forChild() {
        return new CallTimer(this);
    }
}
