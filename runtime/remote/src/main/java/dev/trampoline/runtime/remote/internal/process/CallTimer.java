package dev.trampoline.runtime.remote.internal.process;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Times one child's warm calls into its host's {@link RoundTrips}: its channel says when a call's frame begins to
 * be written, its reader when the answer was read. Calls written before the child answered any are not timed (see
 * {@link RoundTrips}). Only children of a timed launch have one.
 */
final class CallTimer {

    private final RoundTrips into;
    /** When the frame of each timed call in flight began to be written, by call id; gone with its answer. */
    private final Map<Long, Long> written = new ConcurrentHashMap<>();
    /** Whether the child answered a call: the calls written from then on are warm. */
    private volatile boolean warm;

    CallTimer(RoundTrips into) {
        this.into = into;
    }

    /**
     * The frame of call {@code callId} begins to be written at {@code nanos} ({@link System#nanoTime}). Before
     * the write, so that its answer never comes before this.
     */
    void written(long callId, long nanos) {
        if (warm) {
            written.put(callId, nanos);
        }
    }

    /** The child answered a call: the calls written from now on are warm. */
    void warm() {
        warm = true;
    }

    /** The answer of call {@code callId} was read at {@code nanos}. */
    void answered(long callId, long nanos) {
        warm = true;
        Long at = written.remove(callId);
        if (at != null) {
            into.add(nanos - at);
        }
    }

    /** Call {@code callId} was answered after it was cancelled or abandoned here: its time says nothing. */
    void forgotten(long callId) {
        written.remove(callId);
    }
}
