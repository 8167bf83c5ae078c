package dev.trampoline.runtime.remote.internal.process;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.trampoline.runtime.remote.internal.call.PendingCall;

/**
 * The calls one child has in flight, and which of its late answers are expected: a call is sent (in flight),
 * then answered, or taken back without its answer (cancelled, or abandoned before a kill; the child may still
 * answer it once). A cancelled call counts as in flight until its answer comes: its code may still run there.
 * <p>
 * Thread rule: the owner's loop sends, takes back and ends; the child's reader takes answers ({@link #answer}).
 * A call taken back is remembered as forgotten before it leaves the in-flight calls, so the reader always finds
 * an answered call in one or the other.
 */
final class CallsInFlight {

    private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
    private final ForgottenCalls forgotten = new ForgottenCalls(4096);
    /** Calls taken back by a cancel whose answer has not come. Owned by the loop. */
    private final Set<Long> cancelling = new HashSet<>();
    /** The size of {@link #cancelling}, for readers outside the loop. */
    private volatile int cancellingCount;

    /** In the loop: {@code call} was sent. */
    void sent(PendingCall call) {
        pending.put(call.id, call);
    }

    /** In the reader: the call an answer to {@code callId} is for, if in flight (taken out of flight). */
    PendingCall takeAnswered(long callId) {
        return pending.remove(callId);
    }

    /**
     * In the reader, for an answer {@link #takeAnswered} found no call for: whether it was expected (a call taken
     * back: not expected a second time).
     */
    boolean forgottenAnswered(long callId) {
        return forgotten.answered(callId);
    }

    /** In the loop: takes a call back without telling the child (it is about to be killed); false if not in flight. */
    boolean abandon(long callId) {
        boolean added = forgotten.add(callId); // remembered first: see the class's thread rule
        if (pending.remove(callId) != null) {
            return true;
        }
        if (added) {
            forgotten.answered(callId); // it was answered already: take it back
        }
        return false;
    }

    /** In the loop: takes a call back, counting it as in flight until its answer comes; false if not in flight. */
    boolean cancel(long callId) {
        if (!abandon(callId)) {
            return false;
        }
        cancelling.add(callId);
        cancellingCount = cancelling.size();
        return true;
    }

    /** In the loop: the answer to a call taken back came, and was dropped. */
    void forgottenEnded(long callId) {
        if (cancelling.remove(callId)) {
            cancellingCount = cancelling.size();
        }
    }

    /** In the loop: whether call {@code callId} was cancelled and its answer has not come. */
    boolean cancelling(long callId) {
        return cancelling.contains(callId);
    }

    /** Calls cancelled whose answer has not come. */
    int cancellingCount() {
        return cancellingCount;
    }

    /** Calls sent and not answered, cancelled ones included. */
    int count() {
        return pending.size() + cancellingCount;
    }

    /** Whether no call sent is waiting for its answer (cancelled ones aside). */
    boolean noneAwaited() {
        return pending.isEmpty();
    }

    /** In the loop, once the child is gone: the calls that were in flight, which will never be answered. */
    List<PendingCall> orphans() {
        List<PendingCall> orphans = new ArrayList<>(pending.values());
        pending.clear();
        cancelling.clear();
        cancellingCount = 0;
        return orphans;
    }
}
