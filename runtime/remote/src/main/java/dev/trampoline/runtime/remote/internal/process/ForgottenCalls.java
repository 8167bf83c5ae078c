package dev.trampoline.runtime.remote.internal.process;

import java.util.LinkedHashSet;

/**
 * The calls a parent took out of flight without an answer (cancelled, or abandoned before a kill): the child may
 * still answer each of them, once. Any other answer to a call not in flight breaks the protocol. Bounded: a
 * parent that cancels without end forgets the oldest (a late answer to one of those then counts as a break).
 */
final class ForgottenCalls {

    private final int max;
    private final LinkedHashSet<Long> ids = new LinkedHashSet<>();

    ForgottenCalls(int max) {
        this.max = max;
    }

    /** Remembers {@code callId}; false if it was remembered already. */
    synchronized boolean add(long callId) {
        boolean added = ids.add(callId);
        if (ids.size() > max) {
            ids.remove(ids.iterator().next());
        }
        return added;
    }

    /** Whether an answer to {@code callId} was expected here; it is not expected a second time. */
    synchronized boolean answered(long callId) {
        return ids.remove(callId);
    }
}
